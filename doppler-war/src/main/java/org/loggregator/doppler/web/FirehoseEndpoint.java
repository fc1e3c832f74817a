package org.loggregator.doppler.web;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import org.loggregator.access.AccessGuard;
import org.loggregator.access.HandshakeCapture;
import org.loggregator.doppler.routing.EnvelopeRouter;
import org.loggregator.edge.WebSocketSubscriptions;
import org.loggregator.protocol.EnvelopeBatch;

/**
 * {@code /firehose/{subscriptionId}}: every envelope; connections that share a subscription id
 * share the stream, each envelope going to one of them. A controller that asks for {@link
 * EnvelopeBatch#SUBPROTOCOL} gets the envelopes of a burst in one message.
 */
@Dependent
@ServerEndpoint(
    value = "/firehose/{subscriptionId}",
    subprotocols = EnvelopeBatch.SUBPROTOCOL,
    configurator = HandshakeCapture.class)
public class FirehoseEndpoint {
  @Inject EnvelopeRouter router;
  @Inject WebSocketSubscriptions.Settings subscriptions;
  @Inject AccessGuard guard;

  @OnOpen
  public void onOpen(Session session, @PathParam("subscriptionId") String subscriptionId) {
    if (guard.open(session, DopplerRoutes.FIREHOSE, subscriptionId)) {
      RouterFeed.FIREHOSE.open(router, subscriptions, session, subscriptionId);
    }
  }

  @OnClose
  public void onClose(
      Session session, CloseReason reason, @PathParam("subscriptionId") String subscriptionId) {
    RouterFeed.FIREHOSE.close(router, subscriptions, session, reason, subscriptionId);
    guard.close(session);
  }

  @OnError
  public void onError(Session session, Throwable error) {
    // The container closes the session next; onClose cleans up.
  }
}
