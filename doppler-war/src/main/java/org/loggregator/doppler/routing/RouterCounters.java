package org.loggregator.doppler.routing;

import java.util.Map;
import java.util.function.Function;
import org.loggregator.metrics.Counter;
import org.loggregator.metrics.MetricName;

/** What the router counts; thread-safe. */
public final class RouterCounters {
  public static final MetricName EXPIRED_APPS =
      MetricName.of(
          "messageRouter.expiredApps",
          "Apps forgotten because they sent nothing for the app TTL and nobody was subscribed.");
  public static final MetricName EVICTED_APPS =
      MetricName.of(
          "messageRouter.evictedApps",
          "Apps evicted, least recently active first, because the cap on tracked apps was reached;"
              + " their recent logs are lost.");
  public static final MetricName RECENT_LOG_EVICTIONS =
      MetricName.of(
          "messageRouter.recentLogEvictions",
          "Envelopes evicted from recent-log rings before their turn to make room in bytes, by"
              + " reason: app_budget (the app's ring held doppler.recentLogBytes), total_budget"
              + " (all rings together held doppler.recentLogsTotalBytes; the least recently active"
              + " apps lose their oldest first).");
  public static final MetricName DROPPED_CONTAINER_METRICS =
      MetricName.of(
          "messageRouter.droppedContainerMetrics",
          "ContainerMetrics not kept as an instance's latest, by reason: instances (the app already"
              + " had doppler.maxInstancesPerApp instances), bytes (the app's latest metrics held"
              + " doppler.containerMetricBytes); streams still get them.");

  final Counter expiredApps;
  final Counter evictedApps;
  final Counter appBudgetEvictions;
  final Counter totalBudgetEvictions;
  final Counter droppedMetricsInstances;
  final Counter droppedMetricsBytes;

  public RouterCounters(Function<MetricName, Counter> counters, Map<String, String> tags) {
    expiredApps = counters.apply(EXPIRED_APPS.tagged(tags));
    evictedApps = counters.apply(EVICTED_APPS.tagged(tags));
    appBudgetEvictions =
        counters.apply(RECENT_LOG_EVICTIONS.tagged("reason", "app_budget").tagged(tags));
    totalBudgetEvictions =
        counters.apply(RECENT_LOG_EVICTIONS.tagged("reason", "total_budget").tagged(tags));
    droppedMetricsInstances =
        counters.apply(DROPPED_CONTAINER_METRICS.tagged("reason", "instances").tagged(tags));
    droppedMetricsBytes =
        counters.apply(DROPPED_CONTAINER_METRICS.tagged("reason", "bytes").tagged(tags));
  }

  public long expiredApps() {
    return expiredApps.count();
  }

  public long evictedApps() {
    return evictedApps.count();
  }

  /** Envelopes evicted from a ring because its app's byte budget was full. */
  public long appBudgetEvictions() {
    return appBudgetEvictions.count();
  }

  /** Envelopes evicted from rings because all rings together were over the total byte budget. */
  public long totalBudgetEvictions() {
    return totalBudgetEvictions.count();
  }

  /** ContainerMetrics not kept because the app had its most instances. */
  public long droppedContainerMetricsForInstances() {
    return droppedMetricsInstances.count();
  }

  /** ContainerMetrics not kept because the app's latest metrics were at their byte budget. */
  public long droppedContainerMetricsForBytes() {
    return droppedMetricsBytes.count();
  }
}
