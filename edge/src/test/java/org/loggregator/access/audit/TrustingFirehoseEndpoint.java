package org.loggregator.access.audit;

import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import org.loggregator.access.AccessGuard;
import org.loggregator.access.HandshakeCapture;

/** An endpoint that trusts the filter: it serves without asking. */
@ServerEndpoint(value = "/firehose/{subscriptionId}", configurator = HandshakeCapture.class)
public class TrustingFirehoseEndpoint {
  AccessGuard guard;
  StringBuilder data;

  @OnOpen
  public void onOpen(Session session, @PathParam("subscriptionId") String id) {
    data.append(id);
  }
}
