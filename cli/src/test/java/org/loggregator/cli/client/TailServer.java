package org.loggregator.cli.client;

import java.io.IOException;

/** A {@link TinyWebSocketServer} for tests outside this package. */
public final class TailServer implements AutoCloseable {
  private final TinyWebSocketServer server = new TinyWebSocketServer();

  public TailServer() throws IOException {}

  /** The next connection is accepted, gets these envelopes, then a close (1001). */
  public void acceptThenClose(byte[]... envelopes) {
    server.then(
        TinyWebSocketServer.accepting(
            frames -> {
              for (byte[] envelope : envelopes) {
                frames.binary(envelope);
              }
              frames.close(1001);
            }));
  }

  /** The next handshake is refused with {@code status}. */
  public void reject(int status) {
    server.then(TinyWebSocketServer.rejecting(status));
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
