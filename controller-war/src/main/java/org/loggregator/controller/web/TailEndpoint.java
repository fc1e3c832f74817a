package org.loggregator.controller.web;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import org.loggregator.controller.lifecycle.Controller;

/** {@code /tail/?app=ID}: the legacy name of the app stream. */
@Dependent
@ServerEndpoint("/tail/")
public class TailEndpoint {
  @Inject Controller controller;

  @OnOpen
  public void onOpen(Session session) {
    ClientStreams.openApp(controller, session, session.getRequestParameterMap().get("app").get(0));
  }

  @OnClose
  public void onClose(Session session, CloseReason reason) {
    ClientStreams.closeApp(controller, session, reason);
  }

  @OnError
  public void onError(Session session, Throwable error) {
    // The container closes the session next; onClose cleans up.
  }
}
