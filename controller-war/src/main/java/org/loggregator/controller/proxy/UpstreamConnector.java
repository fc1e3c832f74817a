package org.loggregator.controller.proxy;

import java.io.IOException;
import java.util.function.Consumer;
import org.loggregator.config.DopplerAddress;

/**
 * Opens signed WebSocket connections to a doppler's internal endpoints (docs/PROTOCOL.md,
 * Endpoints).
 */
public interface UpstreamConnector {

  /**
   * Connects, blocking until the handshake is done.
   *
   * @param path the endpoint path under the doppler's base URL, such as {@code /apps/ID/stream}
   * @param onEnvelope called with each envelope received, on the connection's thread
   * @param onLost called once if the connection ends without {@link Upstream#close()}
   * @throws IOException when the doppler cannot be reached or refuses, with the reason
   */
  Upstream connect(
      DopplerAddress doppler, String path, Consumer<byte[]> onEnvelope, Runnable onLost)
      throws IOException;
}
