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
 * {@code /apps/{appId}/stream}: every envelope of the app from now on, as it arrives. A controller
 * that asks for {@link EnvelopeBatch#SUBPROTOCOL} gets the envelopes of a burst in one message.
 */
@Dependent
@ServerEndpoint(
    value = "/apps/{appId}/stream",
    subprotocols = EnvelopeBatch.SUBPROTOCOL,
    configurator = HandshakeCapture.class)
public class StreamEndpoint {
  @Inject EnvelopeRouter router;
  @Inject WebSocketSubscriptions.Settings subscriptions;
  @Inject AccessGuard guard;

  @OnOpen
  public void onOpen(Session session, @PathParam("appId") String appId) {
    if (guard.open(session, DopplerRoutes.STREAM, appId)) {
      RouterFeed.STREAM.open(router, subscriptions, session, appId);
    }
  }

  @OnClose
  public void onClose(Session session, CloseReason reason, @PathParam("appId") String appId) {
    RouterFeed.STREAM.close(router, subscriptions, session, reason, appId);
    guard.close(session);
  }

  @OnError
  public void onError(Session session, Throwable error) {
    // The container closes the session next; onClose cleans up.
  }
}
