package org.loggregator.access;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The configurator of every WebSocket endpoint that serves log data (each {@link StreamRoute}'s is
 * one that also hands out its {@link GuardedStreamEndpoint}): keeps the handshake's credentials in
 * the session's user properties (a per-connection copy since WebSocket 2.1), so that the endpoint
 * can ask the {@link AccessGuard} itself when it opens; and takes the session's place under the
 * caps before the handshake is answered, so that a client that has its 101 is counted by the next
 * handshake's check (the endpoint opens only later).
 */
public class HandshakeCapture extends ServerEndpointConfig.Configurator {
  static final String CREDENTIALS = "loggregator.credentials";

  /** The guard of this application (each WAR has its own copy of this class). */
  private static volatile AccessGuard guard;

  /** Sets the application's guard while it runs; null when it stops. */
  public static void serve(AccessGuard applicationGuard) {
    guard = applicationGuard;
  }

  /** The application's guard while it runs, else null. */
  static AccessGuard guard() {
    return guard;
  }

  @Override
  public void modifyHandshake(
      ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
    super.modifyHandshake(config, request, response);
    config.getUserProperties().put(CREDENTIALS, Requests.of(request));
    AccessGuard current = guard;
    if (current != null) {
      current.reserve(config.getPath(), request.getParameterMap(), config.getUserProperties());
    }
  }
}
