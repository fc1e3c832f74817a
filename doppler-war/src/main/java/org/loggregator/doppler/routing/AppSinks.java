package org.loggregator.doppler.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.loggregator.doppler.sink.RecentLogBudget;
import org.loggregator.doppler.sink.RecentLogRing;
import org.loggregator.sink.Subscriber;

/**
 * Everything a doppler keeps for one app: its recent-log ring, the latest ContainerMetric per
 * instance, and its live subscribers. Thread-safe: appends from any receiving thread, reads from
 * request threads.
 */
final class AppSinks {
  final String appId;
  final RecentLogRing recentLogs;
  // Guarded by itself; container metrics arrive seldom (one per instance every few seconds).
  private final Map<Integer, TimedEnvelope> containerMetrics = new HashMap<>();
  private long containerMetricBytes; // guarded by containerMetrics
  // Guarded by containerMetrics: no metric kept was received before it (it may be older than the
  // oldest, never newer), so that nothing is scanned for expiry before something may have expired.
  private long oldestMetricNanos;
  private volatile Subscriber[] subscribers = new Subscriber[0];
  volatile long lastActiveNanos;

  record TimedEnvelope(byte[] envelope, long receivedNanos) {}

  /** What became of a ContainerMetric offered to {@link #keepContainerMetric}. */
  enum Kept {
    KEPT,
    /** A new instance, and the app already had the most instances. */
    TOO_MANY_INSTANCES,
    /** It does not fit the app's byte budget for container metrics. */
    TOO_MANY_BYTES
  }

  AppSinks(String appId, int recentLogs, RecentLogBudget budget, long nowNanos) {
    this.appId = appId;
    this.recentLogs = new RecentLogRing(recentLogs, budget);
    this.lastActiveNanos = nowNanos;
  }

  void offerToSubscribers(byte[] envelope) {
    for (Subscriber subscriber : subscribers) {
      subscriber.offer(envelope);
    }
  }

  synchronized void subscribe(Subscriber subscriber) {
    Subscriber[] grown = Arrays.copyOf(subscribers, subscribers.length + 1);
    grown[grown.length - 1] = subscriber;
    subscribers = grown;
  }

  synchronized void unsubscribe(Subscriber subscriber) {
    subscribers =
        Arrays.stream(subscribers).filter(s -> s != subscriber).toArray(Subscriber[]::new);
  }

  int subscriberCount() {
    return subscribers.length;
  }

  Subscriber[] subscribers() {
    return subscribers;
  }

  /**
   * Keeps {@code envelope} as the latest ContainerMetric of {@code instance}, within at most {@code
   * maxInstances} instances and {@code maxBytes} bytes of metrics for the app. When it does not
   * fit, metrics older than the TTL are forgotten first; if it still does not fit, it is not kept
   * (what is kept stays: an instance that reports goes on being updated, and entries for instances
   * that stopped reporting make room when they expire). The kept metrics are scanned for expiry
   * only when the oldest of them may have expired, so that a flood of new instances is refused at
   * the cost of a look-up each, not a scan of every instance kept.
   */
  Kept keepContainerMetric(
      int instance,
      byte[] envelope,
      long nowNanos,
      long ttlNanos,
      int maxInstances,
      long maxBytes) {
    synchronized (containerMetrics) {
      Kept fits = fits(instance, envelope.length, maxInstances, maxBytes);
      if (fits != Kept.KEPT && expireContainerMetricsLocked(nowNanos, ttlNanos)) {
        fits = fits(instance, envelope.length, maxInstances, maxBytes);
      }
      if (fits != Kept.KEPT) {
        return fits;
      }
      if (containerMetrics.isEmpty() || nowNanos - oldestMetricNanos < 0) {
        oldestMetricNanos = nowNanos; // a thread may bring a time read before another's
      }
      TimedEnvelope previous =
          containerMetrics.put(instance, new TimedEnvelope(envelope, nowNanos));
      containerMetricBytes += envelope.length - (previous == null ? 0 : previous.envelope().length);
      return Kept.KEPT;
    }
  }

  private Kept fits(int instance, int length, int maxInstances, long maxBytes) {
    TimedEnvelope previous = containerMetrics.get(instance);
    if (previous == null && containerMetrics.size() >= maxInstances) {
      return Kept.TOO_MANY_INSTANCES;
    }
    long replaced = previous == null ? 0 : previous.envelope().length;
    return containerMetricBytes - replaced + length > maxBytes ? Kept.TOO_MANY_BYTES : Kept.KEPT;
  }

  /** The latest ContainerMetric of each instance received within {@code ttlNanos}. */
  List<byte[]> containerMetrics(long nowNanos, long ttlNanos) {
    List<byte[]> result = new ArrayList<>();
    synchronized (containerMetrics) {
      for (TimedEnvelope metric : containerMetrics.values()) {
        if (nowNanos - metric.receivedNanos() <= ttlNanos) {
          result.add(metric.envelope());
        }
      }
    }
    return result;
  }

  void expireContainerMetrics(long nowNanos, long ttlNanos) {
    synchronized (containerMetrics) {
      expireContainerMetricsLocked(nowNanos, ttlNanos);
    }
  }

  /**
   * Forgets the metrics older than the TTL, if the oldest may be, and learns the oldest left.
   *
   * @return true if any was forgotten
   */
  private boolean expireContainerMetricsLocked(long nowNanos, long ttlNanos) {
    if (containerMetrics.isEmpty() || nowNanos - oldestMetricNanos <= ttlNanos) {
      return false;
    }
    boolean expired = false;
    long oldest = nowNanos;
    Iterator<TimedEnvelope> metrics = containerMetrics.values().iterator();
    while (metrics.hasNext()) {
      TimedEnvelope metric = metrics.next();
      if (nowNanos - metric.receivedNanos() > ttlNanos) {
        metrics.remove();
        containerMetricBytes -= metric.envelope().length;
        expired = true;
      } else if (metric.receivedNanos() - oldest < 0) {
        oldest = metric.receivedNanos();
      }
    }
    oldestMetricNanos = oldest;
    return expired;
  }

  /** Bytes of the ContainerMetrics kept. */
  long containerMetricBytes() {
    synchronized (containerMetrics) {
      return containerMetricBytes;
    }
  }

  /** Forgets everything kept, as the app is forgotten. */
  void release() {
    recentLogs.close();
    synchronized (containerMetrics) {
      containerMetrics.clear();
      containerMetricBytes = 0;
    }
  }
}
