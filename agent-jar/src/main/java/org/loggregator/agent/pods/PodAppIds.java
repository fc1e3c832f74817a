package org.loggregator.agent.pods;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.loggregator.agent.AgentLog;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;

/**
 * The app ids of pods, by pod UID, looked up on a thread of its own so that the thread that reads
 * the logs never waits for the Kubernetes API; thread-safe (one lock, never held across a lookup).
 *
 * <p>{@link #resolve} answers from the cache, or queues a lookup and answers {@link #PENDING}. The
 * cache holds at most {@code maxPods} pods, the least recently asked for leaving first (a pod that
 * leaves is only looked up again). An app id, once known, stays for the pod's life: the label is
 * read once, not followed. A pod without one ({@link PodAnswer.Kind#SKIP}) is counted once in
 * {@link AgentCounter#POD_SKIPPED} and asked about again after {@code skipNanos}, in case it was
 * labelled since; a failed lookup is counted in {@link AgentCounter#POD_API_ERRORS} and retried
 * after {@code retryNanos}. At most {@code maxPods} lookups wait in the queue; past that, a pod is
 * answered {@link #PENDING} without one, and asked about on a later call.
 */
final class PodAppIds implements AutoCloseable {

  /** Asks the Kubernetes API about one pod; called from the lookup thread only. */
  @FunctionalInterface
  interface Lookup {
    PodAnswer lookup(PodRef pod) throws InterruptedException;
  }

  /** {@link #resolve}'s answer while the pod is being looked up (or must wait for a lookup). */
  static final String PENDING = new String("(pending)");

  /** {@link #resolve}'s answer for a pod whose logs are skipped. */
  static final String SKIPPED = new String("(skipped)");

  private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Lookup lookup;
  private final Policy policy;
  private final AgentCounters counters;
  private final AgentLog log;
  private final LongSupplier clock;
  private final Map<String, Known> pods;
  private final ArrayDeque<PodRef> queue = new ArrayDeque<>();
  private final Thread thread;
  private boolean closed;
  private long lastWarning = Long.MIN_VALUE;
  private long failuresSinceWarning;

  /** What is known of one pod: an app id, a skip, or a failure, and until when it holds. */
  private static final class Known {
    String answer = PENDING;
    boolean asked;
    long recheckAt;
    boolean queued;
    boolean counted;

    boolean isAppId() {
      return answer != PENDING && answer != SKIPPED;
    }
  }

  /**
   * How many pods are remembered and how long an answer holds.
   *
   * @param maxPods pods cached, and lookups queued, at most
   * @param skipNanos how long a pod without a usable label stays skipped before it is asked again
   * @param retryNanos how soon a failed lookup is tried again
   */
  record Policy(int maxPods, long skipNanos, long retryNanos) {
    /** 4,096 pods; a skip holds 5 minutes; a failure is retried after 5 s. */
    static final Policy DEFAULT =
        new Policy(4_096, TimeUnit.MINUTES.toNanos(5), TimeUnit.SECONDS.toNanos(5));
  }

  /**
   * @param clock nanoseconds, as {@link System#nanoTime()}
   */
  PodAppIds(
      Lookup lookup, Policy policy, AgentCounters counters, AgentLog log, LongSupplier clock) {
    this.lookup = lookup;
    this.policy = policy;
    this.counters = counters;
    this.log = log;
    this.clock = clock;
    this.pods =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
            return size() > policy.maxPods() && !eldest.getValue().queued;
          }
        };
    this.thread = new Thread(this::run, "agent-pod-labels");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * The pod's app id; {@link #PENDING} while it is being looked up; {@link #SKIPPED} when its logs
   * are skipped (compare both by identity).
   */
  synchronized String resolve(PodRef pod) {
    Known entry = pods.get(pod.uid());
    if (entry == null) {
      entry = new Known();
      pods.put(pod.uid(), entry);
    }
    if (!entry.queued
        && !entry.isAppId()
        && (!entry.asked || clock.getAsLong() - entry.recheckAt >= 0)) {
      if (queue.size() < policy.maxPods()) {
        entry.queued = true;
        queue.add(pod);
        notifyAll();
      }
    }
    return entry.answer;
  }

  /** How many pods the cache holds now. */
  synchronized int size() {
    return pods.size();
  }

  private void run() {
    try {
      while (true) {
        PodRef pod;
        synchronized (this) {
          while (queue.isEmpty() && !closed) {
            wait();
          }
          if (closed) {
            return;
          }
          pod = queue.poll();
        }
        PodAnswer answer;
        try {
          answer = lookup.lookup(pod);
        } catch (RuntimeException e) {
          answer = PodAnswer.retry("the lookup failed: " + e);
        }
        record(pod, answer);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void record(PodRef pod, PodAnswer answer) {
    Known entry = pods.get(pod.uid());
    if (entry == null) {
      entry = new Known();
      pods.put(pod.uid(), entry);
    }
    entry.queued = false;
    entry.asked = true;
    long now = clock.getAsLong();
    switch (answer.kind()) {
      case APP_ID -> {
        entry.answer = answer.appId();
      }
      case SKIP -> {
        entry.answer = SKIPPED;
        entry.recheckAt = now + policy.skipNanos();
        if (!entry.counted) {
          entry.counted = true;
          counters.increment(AgentCounter.POD_SKIPPED);
          log.info("skipping the logs of pod " + pod + ": " + answer.reason() + ".");
        }
      }
      case RETRY -> {
        entry.recheckAt = now + policy.retryNanos();
        counters.increment(AgentCounter.POD_API_ERRORS);
        failuresSinceWarning++;
        if (lastWarning == Long.MIN_VALUE || now - lastWarning >= WARN_INTERVAL_NANOS) {
          log.warn(
              failuresSinceWarning
                  + " Kubernetes API lookup(s) failed since the last warning; for pod "
                  + pod
                  + ": "
                  + answer.reason()
                  + ". Its logs wait on disk until a lookup succeeds.");
          lastWarning = now;
          failuresSinceWarning = 0;
        }
      }
      default -> throw new IllegalStateException(answer.kind().toString());
    }
  }

  /** Stops the lookup thread (a lookup under way ends at its own deadline, on a daemon thread). */
  @Override
  public synchronized void close() {
    closed = true;
    notifyAll();
  }
}
