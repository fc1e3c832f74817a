package org.loggregator.controller.proxy;

import java.util.concurrent.ScheduledExecutorService;
import org.loggregator.metrics.Counter;

/**
 * The zones as the controller's clients to dopplers reach them: who owns what, each zone's pool,
 * the timer, and the counter of what failed.
 *
 * @param directory the dopplers of every zone and the owner of each app
 * @param pools one bounded pool per zone, so that a silent zone holds up no other
 * @param scheduler times deadlines and reconnects
 * @param errors counts failed or lost doppler connections and zones skipped
 */
public record Zones(
    DopplerDirectory directory,
    ZonePools pools,
    ScheduledExecutorService scheduler,
    Counter errors) {}
