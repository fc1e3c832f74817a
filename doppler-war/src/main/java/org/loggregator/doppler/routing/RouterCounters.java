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

  final Counter expiredApps;
  final Counter evictedApps;

  public RouterCounters(Function<MetricName, Counter> counters, Map<String, String> tags) {
    expiredApps = counters.apply(EXPIRED_APPS.tagged(tags));
    evictedApps = counters.apply(EVICTED_APPS.tagged(tags));
  }

  public long expiredApps() {
    return expiredApps.count();
  }

  public long evictedApps() {
    return evictedApps.count();
  }
}
