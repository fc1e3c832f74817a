package org.loggregator.access.audit;

import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import org.loggregator.access.AccessGuard;
import org.loggregator.access.HandshakeCapture;

/** An endpoint as it should be: it asks the guard about the app it serves, first. */
@ServerEndpoint(value = "/apps/{appId}/stream", configurator = HandshakeCapture.class)
public class AskingStreamEndpoint {
  AccessGuard guard;
  StringBuilder data;

  @OnOpen
  public void onOpen(Session session, @PathParam("appId") String appId) {
    if (guard.open(session, AuditRoutes.STREAM, appId)) {
      data.append(appId);
    }
  }
}
