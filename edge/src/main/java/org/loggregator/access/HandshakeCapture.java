package org.loggregator.access;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The configurator of every WebSocket endpoint that serves log data: keeps the handshake's
 * credentials in the session's user properties (a per-connection copy since WebSocket 2.1), so that
 * the endpoint can ask the {@link AccessGuard} itself when it opens.
 */
public class HandshakeCapture extends ServerEndpointConfig.Configurator {
  static final String CREDENTIALS = "loggregator.credentials";

  @Override
  public void modifyHandshake(
      ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
    super.modifyHandshake(config, request, response);
    config.getUserProperties().put(CREDENTIALS, Requests.of(request));
  }
}
