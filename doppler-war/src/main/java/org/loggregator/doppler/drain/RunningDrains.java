package org.loggregator.doppler.drain;

import java.util.Collection;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.loggregator.protocol.LgrNotice;
import org.loggregator.retry.Backoff;

/**
 * The drains running on this doppler, over every app: starts each (its writer, queue and thread)
 * within the doppler-wide cap, stops it, counts the running ones by scheme, and writes the notices
 * drains and bindings tell apps; thread-safe. Which app has which drain is {@link AppBindings}'
 * business.
 */
final class RunningDrains {
  private static final Logger LOG = Logger.getLogger(RunningDrains.class.getName());

  private final DrainRegistry.Limits limits;
  private final Function<DrainUrl, DrainWriter> writers;
  private final ThreadFactory threads;
  private final DrainCounters counters;
  private final BiConsumer<String, byte[]> noticeSink;
  private final String origin;
  private final Supplier<Backoff> retries;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger[] activeByScheme = new AtomicInteger[DrainUrl.Scheme.values().length];
  private volatile boolean closed;

  RunningDrains(
      DrainRegistry.Limits limits,
      Function<DrainUrl, DrainWriter> writers,
      ThreadFactory threads,
      DrainCounters counters,
      BiConsumer<String, byte[]> noticeSink,
      String origin,
      Supplier<Backoff> retries) {
    this.limits = limits;
    this.writers = writers;
    this.threads = threads;
    this.counters = counters;
    this.noticeSink = noticeSink;
    this.origin = origin;
    this.retries = retries;
    for (int i = 0; i < activeByScheme.length; i++) {
      activeByScheme[i] = new AtomicInteger();
    }
    new SyslogFormatter(limits.hostname()); // validates it now
  }

  /**
   * Starts a drain for the app.
   *
   * @return the running drain, or null when the doppler already runs as many as allowed
   * @throws RuntimeException when its writer cannot start (then nothing is left running)
   */
  Drain start(String appId, DrainUrl url) {
    if (!reserve()) {
      return null;
    }
    activeByScheme[url.scheme().ordinal()].incrementAndGet();
    Drain drain = null;
    try {
      drain =
          new Drain(
              appId,
              url,
              writers.apply(url),
              limits.queueCapacity(),
              limits.queueBytes(),
              new SyslogFormatter(limits.hostname()),
              retries.get(),
              counters.of(url.scheme()),
              this::tell);
      drain.start(threads);
      return drain;
    } catch (RuntimeException e) {
      if (drain != null) {
        drain.close();
      }
      release(url);
      throw e;
    }
  }

  /** Stops a drain this started (it is closed; its thread ends by itself). */
  void stop(Drain drain) {
    drain.close();
    release(drain.url());
  }

  private boolean reserve() {
    while (true) {
      int n = active.get();
      if (n >= limits.maxDrains()) {
        return false;
      }
      if (active.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  private void release(DrainUrl url) {
    active.decrementAndGet();
    activeByScheme[url.scheme().ordinal()].decrementAndGet();
  }

  /** Writes a notice into the app's stream, and counts it. */
  void tell(String appId, String text) {
    counters.notices.increment();
    noticeSink.accept(appId, LgrNotice.envelope(origin, appId, text, LgrNotice.nowNanos()));
  }

  /** From now on, nothing is bound or started. */
  void closing() {
    closed = true;
  }

  boolean isClosed() {
    return closed;
  }

  /** Waits for the writers of stopped drains to end, at most {@code millis} in all. */
  static void awaitStopped(Collection<Drain> drains, long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    try {
      for (Drain drain : drains) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || !drain.awaitStopped(left)) {
          LOG.warning("A drain writer did not stop in time: " + drain.url().redacted());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  int active() {
    return active.get();
  }

  int active(DrainUrl.Scheme scheme) {
    return activeByScheme[scheme.ordinal()].get();
  }

  DrainRegistry.Limits limits() {
    return limits;
  }

  DrainCounters counters() {
    return counters;
  }
}
