package org.loggregator.sink;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * How a {@link Subscriber} puts envelopes on its connection: asynchronously, one send in flight at
 * a time, each envelope in a message of its own or in a batch that {@link #flush} sends.
 */
public interface SubscriberTransport {

  /**
   * Starts sending one envelope; calls {@code done} exactly once when it is sent (null) or failed
   * (the cause), possibly before this method returns and possibly on another thread.
   */
  void send(byte[] envelope, Consumer<Throwable> done);

  /**
   * Ends a burst: sends whatever the transport batched of the sends so far, and returns once it is
   * written. Called by the writer when its queue is empty, so a busy subscriber is flushed once per
   * burst, not once per envelope. The default does nothing.
   *
   * @throws IOException if the connection failed; the subscriber then closes
   */
  default void flush() throws IOException {}

  /** Closes the connection with a WebSocket close code and reason; never throws. */
  void close(int code, String reason);

  /** The subscriber as it may appear in a notice or a log: never with credentials. */
  String description();
}
