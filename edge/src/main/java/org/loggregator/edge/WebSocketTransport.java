package org.loggregator.edge;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.loggregator.sink.SubscriberTransport;

/** Sends a subscriber's envelopes as binary WebSocket messages, asynchronously. */
public final class WebSocketTransport implements SubscriberTransport {
  private final Session session;
  private final String description;

  public WebSocketTransport(Session session, String description) {
    this.session = session;
    this.description = description;
  }

  @Override
  public void send(byte[] envelope, Consumer<Throwable> done) {
    try {
      session
          .getAsyncRemote()
          .sendBinary(ByteBuffer.wrap(envelope), result -> done.accept(result.getException()));
    } catch (RuntimeException e) {
      done.accept(e);
    }
  }

  @Override
  public void close(int code, String reason) {
    try {
      if (session.isOpen()) {
        session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
      }
    } catch (IOException | RuntimeException e) {
      // already gone
    }
  }

  /** Sends an empty ping without waiting for it to go out. */
  public static void ping(Session session) {
    try {
      session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String description() {
    return description;
  }
}
