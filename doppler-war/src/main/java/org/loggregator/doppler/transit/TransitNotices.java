package org.loggregator.doppler.transit;

import java.util.Map;
import java.util.function.BiConsumer;
import org.loggregator.protocol.LgrNotice;

/**
 * Tells each app, in its own stream and recent logs, what was lost on its way to this doppler: one
 * LGR notice per app with losses per flush. Used by the one thread that flushes.
 */
public final class TransitNotices {
  private final BiConsumer<String, byte[]> inject;
  private final String origin;
  private final String doppler;
  private final long intervalSeconds;

  /**
   * @param inject puts a notice into an app's stream and recent logs (the router's injectNotice)
   * @param origin the origin of the notices
   * @param doppler how the notices name this doppler
   * @param intervalSeconds the flush interval the notices speak of
   */
  public TransitNotices(
      BiConsumer<String, byte[]> inject, String origin, String doppler, long intervalSeconds) {
    this.inject = inject;
    this.origin = origin;
    this.doppler = doppler;
    this.intervalSeconds = intervalSeconds;
  }

  /** Injects one notice per app of the report with losses; returns how many. */
  public int publish(TransitLossTracker.Report report) {
    long now = LgrNotice.nowNanos();
    int n = 0;
    for (Map.Entry<String, Map<String, Long>> app : report.lostByAppAndHost().entrySet()) {
      String text = LgrNotice.lostInTransit(app.getValue(), doppler, intervalSeconds);
      inject.accept(app.getKey(), LgrNotice.envelope(origin, app.getKey(), text, now));
      n++;
    }
    return n;
  }
}
