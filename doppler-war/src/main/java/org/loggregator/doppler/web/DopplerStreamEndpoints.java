package org.loggregator.doppler.web;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebListener;
import java.util.List;
import org.loggregator.access.StreamEndpoints;
import org.loggregator.access.StreamRoute;

/**
 * The doppler's log streams, each fed from the router by {@link RouterFeed}: {@code
 * /apps/{appId}/stream}, every envelope of the app from now on, as it arrives; and {@code
 * /firehose/{subscriptionId}}, every envelope, connections that share a subscription id sharing the
 * stream, each envelope going to one of them. Both send a controller that asks for batches the
 * envelopes of a burst in one message.
 */
@WebListener
public class DopplerStreamEndpoints extends StreamEndpoints<RouterFeed> {
  @Inject RouterFeed router;

  public DopplerStreamEndpoints() {
    super(
        List.of(
            StreamRoute.batched(
                DopplerRoutes.STREAM, RouterFeed::openStream, RouterFeed::closeStream),
            StreamRoute.batched(
                DopplerRoutes.FIREHOSE, RouterFeed::openFirehose, RouterFeed::closeFirehose)));
  }

  @Override
  protected RouterFeed feed() {
    return router;
  }
}
