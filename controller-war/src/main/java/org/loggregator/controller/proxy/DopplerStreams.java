package org.loggregator.controller.proxy;

import java.util.function.Consumer;

/**
 * Opens the fan-ins from dopplers that feed the controller's clients: an app's stream from its
 * owner in every zone, a firehose subscription from every doppler. Each connects in the background,
 * on the pool of the doppler's zone, and follows the dopplers as they come and go. Thread-safe.
 */
public final class DopplerStreams {
  private final UpstreamConnector connector;
  private final Zones zones;

  public DopplerStreams(UpstreamConnector connector, Zones zones) {
    this.connector = connector;
    this.zones = zones;
  }

  /**
   * A fan-in that connects to nothing yet: add the dopplers with {@link #addApp}.
   *
   * @param sink receives every envelope
   * @param notices receives one sentence per failure or recovery of a zone
   */
  public ZoneFanIn fanIn(Consumer<byte[]> sink, Consumer<String> notices) {
    return new ZoneFanIn(
        connector,
        sink,
        notices,
        zones.scheduler(),
        zones.pools()::of,
        zones.errors(),
        zones::directory);
  }

  /**
   * Starts connecting {@code fanIn} to the stream of {@code appId} of its owner in every zone, and
   * keeps it on the owners as the dopplers change.
   */
  public void addApp(ZoneFanIn fanIn, String appId) {
    fanIn.follow(directory -> directory.ownersOf(appId), "/apps/" + appId + "/stream");
  }

  /**
   * The firehose subscription {@code subscriptionId} of every doppler.
   *
   * @param sink receives every envelope
   * @param notices receives one sentence per failure or recovery of a zone
   */
  public ZoneFanIn firehose(
      String subscriptionId, Consumer<byte[]> sink, Consumer<String> notices) {
    ZoneFanIn fanIn = fanIn(sink, notices);
    fanIn.follow(DopplerDirectory::all, "/firehose/" + subscriptionId);
    return fanIn;
  }
}
