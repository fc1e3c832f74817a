package org.loggregator.controller.web;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.List;
import org.loggregator.access.AccessGuard;
import org.loggregator.access.HandshakeCapture;
import org.loggregator.controller.lifecycle.Controller;
import org.loggregator.controller.proxy.RecentEnvelopes;
import org.loggregator.edge.WebSocketTransport;

/** {@code /dump/?app=ID}: the legacy dump: sends the app's recent logs, then closes. */
@Dependent
@ServerEndpoint(value = "/dump/", configurator = HandshakeCapture.class)
public class DumpEndpoint {
  @Inject Controller controller;
  @Inject AccessGuard guard;

  @OnOpen
  public void onOpen(Session session) {
    String appId = AccessGuard.onlyValue(session.getRequestParameterMap().get("app"));
    if (!guard.open(session, ControllerRoutes.DUMP, appId)) {
      return;
    }
    controller
        .workers()
        .execute(
            () -> {
              try {
                ZoneQueries.Answers<List<byte[]>> answers =
                    ZoneQueries.ask(controller, appId, "recentlogs");
                WebSocketTransport transport = new WebSocketTransport(session, "dump of " + appId);
                for (byte[] envelope : RecentEnvelopes.mergeByTimestamp(answers.perZone())) {
                  transport.sendNow(envelope);
                }
                byte[] notice = ZoneQueries.missingZonesNotice(controller, appId, answers);
                if (notice != null) {
                  transport.sendNow(notice);
                }
                session.close(
                    new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "Recent logs sent."));
              } catch (IOException | RuntimeException e) {
                try {
                  session.close(
                      new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "Dump failed."));
                } catch (IOException ignored) {
                  // gone
                }
              }
            });
  }

  @OnClose
  public void onClose(Session session) {
    guard.close(session);
  }
}
