package org.loggregator.controller.web;

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
import org.loggregator.protocol.EnvelopeBatch;

/**
 * {@code /apps/{appId}/stream}: the app's envelopes from every zone, as they arrive. A client that
 * asks for {@link EnvelopeBatch#SUBPROTOCOL} gets the envelopes of a burst in one message.
 */
@Dependent
@ServerEndpoint(
    value = "/apps/{appId}/stream",
    subprotocols = EnvelopeBatch.SUBPROTOCOL,
    configurator = HandshakeCapture.class)
public class AppStreamEndpoint {
  @Inject ClientStreams streams;
  @Inject AccessGuard guard;

  @OnOpen
  public void onOpen(Session session, @PathParam("appId") String appId) {
    if (guard.open(session, ControllerRoutes.STREAM, appId)) {
      streams.openApp(session, appId);
    }
  }

  @OnClose
  public void onClose(Session session, CloseReason reason) {
    streams.closeApp(session, reason);
    guard.close(session);
  }

  @OnError
  public void onError(Session session, Throwable error) {
    // The container closes the session next; onClose cleans up.
  }
}
