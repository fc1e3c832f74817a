package org.loggregator.controller.web;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebListener;
import java.util.List;
import org.loggregator.access.StreamEndpoints;
import org.loggregator.access.StreamRoute;

/**
 * The controller's log streams, each fed from the dopplers by {@link ClientStreams}: {@code
 * /apps/{appId}/stream}, the app's envelopes from every zone as they arrive; {@code
 * /firehose/{subscriptionId}}, every envelope from every doppler, connections that share a
 * subscription id sharing the stream, each envelope going to one of them; and {@code
 * /tail/?app=ID}, the legacy name of the app stream, which sends no batches.
 */
@WebListener
public class ControllerStreamEndpoints extends StreamEndpoints<ClientStreams> {
  /** An app stream closes what the session holds; the app id is not needed. */
  private static final StreamRoute.Closer<ClientStreams> CLOSE_APP =
      (streams, session, reason, appId) -> streams.closeApp(session, reason);

  @Inject ClientStreams streams;

  public ControllerStreamEndpoints() {
    super(
        List.of(
            StreamRoute.batched(ControllerRoutes.STREAM, ClientStreams::openApp, CLOSE_APP),
            StreamRoute.batched(
                ControllerRoutes.FIREHOSE,
                ClientStreams::openFirehose,
                ClientStreams::closeFirehose),
            StreamRoute.unbatched(ControllerRoutes.TAIL, ClientStreams::openApp, CLOSE_APP)));
  }

  @Override
  protected ClientStreams feed() {
    return streams;
  }
}
