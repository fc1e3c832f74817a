package org.loggregator.edge;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.loggregator.protocol.EnvelopeBatch;
import org.loggregator.sink.SubscriberTransport;

/**
 * Sends a subscriber's envelopes as binary WebSocket messages with the container's blocking send on
 * the subscriber's own writer thread: one message per envelope, or, when the client asked for
 * {@link EnvelopeBatch#SUBPROTOCOL} and the endpoint offers it, the envelopes of a burst in one
 * message written at {@link #flush}.
 *
 * <p>Surprise: on Liberty a blocking send is several times cheaper than an asynchronous one
 * (measured: one subscriber took about 6,000 envelopes/s with asynchronous sends and over 40,000
 * with blocking ones). A client that stops reading blocks only its own writer, which the liveness
 * check closes after 30 s.
 *
 * <p>Surprise: Liberty writes to the socket only from direct buffers. Given a heap buffer, it
 * allocates a new direct buffer for every message and copies into it; at tens of thousands of
 * messages a second those buffers and their cleaners lengthened every young collection by
 * milliseconds. So each transport copies envelopes into one direct buffer of its own, reused for
 * every send. One thread sends at a time: the subscriber's writer, or the worker answering a dump.
 */
public final class WebSocketTransport implements SubscriberTransport {
  /** Enough for most envelopes; a larger one replaces the buffer with one twice as large. */
  private static final int INITIAL_BUFFER_BYTES = 4096;

  /** A batch is sent once it holds this much, even if the burst goes on. */
  static final int BATCH_BYTES = 16 * 1024;

  private final Session session;
  private final RemoteEndpoint.Basic remote;
  private final String description;
  private final boolean batched;
  private ByteBuffer outbound = ByteBuffer.allocateDirect(0);

  public WebSocketTransport(Session session, String description) {
    this.session = session;
    this.remote = session.getBasicRemote();
    this.description = description;
    this.batched = EnvelopeBatch.SUBPROTOCOL.equals(session.getNegotiatedSubprotocol());
  }

  @Override
  public void send(byte[] envelope, Consumer<Throwable> done) {
    try {
      if (batched) {
        addToBatch(envelope);
      } else {
        sendNow(envelope);
      }
      done.accept(null);
    } catch (IOException | RuntimeException e) {
      done.accept(e);
    }
  }

  /** Sends one envelope in a message of its own and returns once it is written; one thread only. */
  public void sendNow(byte[] envelope) throws IOException {
    outbound.clear();
    makeRoom(envelope.length);
    outbound.put(envelope);
    write();
  }

  private void addToBatch(byte[] envelope) throws IOException {
    int framed = EnvelopeBatch.framedLength(envelope.length);
    if (outbound.position() > 0 && outbound.position() + framed > BATCH_BYTES) {
      write();
    }
    makeRoom(framed);
    EnvelopeBatch.append(outbound, envelope);
  }

  @Override
  public void flush() throws IOException {
    if (outbound.position() > 0) {
      write();
    }
  }

  /** Sends what the buffer holds, then empties it, written or not. */
  private void write() throws IOException {
    outbound.flip();
    try {
      remote.sendBinary(outbound);
    } finally {
      outbound.clear();
    }
  }

  /** Makes room for {@code bytes} more, keeping what the buffer holds. */
  private void makeRoom(int bytes) {
    int needed = outbound.position() + bytes;
    if (needed > outbound.capacity()) {
      int capacity = INITIAL_BUFFER_BYTES;
      while (capacity < needed) {
        capacity *= 2;
      }
      ByteBuffer larger = ByteBuffer.allocateDirect(capacity);
      outbound.flip();
      larger.put(outbound);
      outbound = larger;
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
