package org.loggregator.sink;

import java.util.function.Consumer;

/**
 * How a {@link Subscriber} puts envelopes on its connection: one binary message per envelope,
 * asynchronously, one send in flight at a time.
 */
public interface SubscriberTransport {

  /**
   * Starts sending one envelope; calls {@code done} exactly once when it is sent (null) or failed
   * (the cause), possibly before this method returns and possibly on another thread.
   */
  void send(byte[] envelope, Consumer<Throwable> done);

  /**
   * Ends a burst: pushes out whatever the transport buffered of the sends so far. Called by the
   * writer when its queue is empty, so a busy subscriber is flushed once per burst, not once per
   * envelope. The default does nothing.
   */
  default void flush() {}

  /** Closes the connection with a WebSocket close code and reason; never throws. */
  void close(int code, String reason);

  /** The subscriber as it may appear in a notice or a log: never with credentials. */
  String description();
}
