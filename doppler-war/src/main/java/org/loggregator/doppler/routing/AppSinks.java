package org.loggregator.doppler.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
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
  final ConcurrentHashMap<Integer, TimedEnvelope> containerMetrics = new ConcurrentHashMap<>();
  private volatile Subscriber[] subscribers = new Subscriber[0];
  volatile long lastActiveNanos;

  record TimedEnvelope(byte[] envelope, long receivedNanos) {}

  AppSinks(String appId, int recentLogs, long nowNanos) {
    this.appId = appId;
    this.recentLogs = new RecentLogRing(recentLogs);
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

  /** The latest ContainerMetric of each instance received within {@code ttlNanos}. */
  List<byte[]> containerMetrics(long nowNanos, long ttlNanos) {
    List<byte[]> result = new ArrayList<>();
    for (TimedEnvelope metric : containerMetrics.values()) {
      if (nowNanos - metric.receivedNanos() <= ttlNanos) {
        result.add(metric.envelope());
      }
    }
    return result;
  }

  void expireContainerMetrics(long nowNanos, long ttlNanos) {
    containerMetrics.values().removeIf(m -> nowNanos - m.receivedNanos() > ttlNanos);
  }
}
