package org.loggregator.controller.proxy;

import java.util.concurrent.ScheduledExecutorService;
import org.loggregator.metrics.Counter;

/**
 * The zones as the controller's clients to dopplers reach them: who is a member now and owns what,
 * each zone's pool, the timer, and the counter of what failed.
 *
 * @param membership the dopplers of every zone as they come and go
 * @param pools one bounded pool per zone, so that a silent zone holds up no other
 * @param scheduler times deadlines and reconnects
 * @param errors counts failed or lost doppler connections and zones skipped
 */
public record Zones(
    DopplerMembership membership,
    ZonePools pools,
    ScheduledExecutorService scheduler,
    Counter errors) {

  /** The dopplers of every zone now, and the owner of each app. */
  public DopplerDirectory directory() {
    return membership.directory();
  }
}
