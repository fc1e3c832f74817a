package org.loggregator.controller.web;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import org.loggregator.access.AccessGuard;
import org.loggregator.access.HandshakeCapture;

/** {@code /tail/?app=ID}: the legacy name of the app stream. */
@Dependent
@ServerEndpoint(value = "/tail/", configurator = HandshakeCapture.class)
public class TailEndpoint {
  @Inject ClientStreams streams;
  @Inject AccessGuard guard;

  @OnOpen
  public void onOpen(Session session) {
    String appId = AccessGuard.onlyValue(session.getRequestParameterMap().get("app"));
    if (guard.open(session, ControllerRoutes.TAIL, appId)) {
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
