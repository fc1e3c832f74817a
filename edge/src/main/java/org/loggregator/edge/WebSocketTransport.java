package org.loggregator.edge;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.loggregator.sink.SubscriberTransport;

/**
 * Sends a subscriber's envelopes as binary WebSocket messages, one per envelope, with the
 * container's blocking send on the subscriber's own writer thread.
 *
 * <p>Surprise: on Liberty a blocking send is several times cheaper than an asynchronous one
 * (measured: one subscriber took about 6,000 envelopes/s with asynchronous sends and over 40,000
 * with blocking ones). A client that stops reading blocks only its own writer, which the liveness
 * check closes after 30 s.
 */
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
      session.getBasicRemote().sendBinary(ByteBuffer.wrap(envelope));
      done.accept(null);
    } catch (IOException | RuntimeException e) {
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
