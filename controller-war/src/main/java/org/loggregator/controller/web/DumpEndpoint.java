package org.loggregator.controller.web;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.loggregator.access.AccessGuard;
import org.loggregator.access.HandshakeCapture;
import org.loggregator.controller.proxy.RecentEnvelopes;
import org.loggregator.controller.proxy.ZoneQueries;
import org.loggregator.edge.WebSocketTransport;

/** {@code /dump/?app=ID}: the legacy dump: sends the app's recent logs, then closes. */
@Dependent
@ServerEndpoint(value = "/dump/", configurator = HandshakeCapture.class)
public class DumpEndpoint {
  @Inject ZoneQueries zones;

  /** Sends the dumps, off the threads of the zones' pools. */
  @Inject
  @Named("controllerWorkers")
  ExecutorService workers;

  @Inject AccessGuard guard;

  @OnOpen
  public void onOpen(Session session) {
    String appId = AccessGuard.onlyValue(session.getRequestParameterMap().get("app"));
    if (!guard.open(session, ControllerRoutes.DUMP, appId)) {
      return;
    }
    zones
        .ask(appId, "recentlogs")
        .thenAcceptAsync(answers -> send(session, appId, answers), workers)
        .exceptionally(
            e -> {
              close(session, CloseReason.CloseCodes.UNEXPECTED_CONDITION, "Dump failed.");
              return null;
            });
  }

  /** Sends the recent logs the zones answered, and a notice naming those that did not; closes. */
  private void send(Session session, String appId, ZoneQueries.Answers<List<byte[]>> answers) {
    WebSocketTransport transport = new WebSocketTransport(session, "dump of " + appId);
    try {
      for (byte[] envelope : RecentEnvelopes.mergeByTimestamp(answers.perZone())) {
        transport.sendNow(envelope);
      }
      byte[] notice = zones.missingZonesNotice(appId, answers);
      if (notice != null) {
        transport.sendNow(notice);
      }
      close(session, CloseReason.CloseCodes.NORMAL_CLOSURE, "Recent logs sent.");
    } catch (IOException | RuntimeException e) {
      close(session, CloseReason.CloseCodes.UNEXPECTED_CONDITION, "Dump failed.");
    }
  }

  private static void close(Session session, CloseReason.CloseCode code, String reason) {
    try {
      session.close(new CloseReason(code, reason));
    } catch (IOException | RuntimeException e) {
      // gone
    }
  }

  @OnClose
  public void onClose(Session session) {
    guard.close(session);
  }
}
