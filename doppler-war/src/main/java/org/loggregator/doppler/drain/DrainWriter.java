package org.loggregator.doppler.drain;

import java.io.IOException;
import java.time.Duration;

/**
 * Puts batches of frames on one drain's connection. Used by the drain's own writer thread only,
 * except {@link #close}, which any thread may call to stop a blocked write.
 */
public interface DrainWriter {
  /** How long a writer waits for its TCP connection to a drain to be accepted. */
  int CONNECT_TIMEOUT_MILLIS = 10_000;

  /**
   * How long one batch may take to write (for HTTPS, to be posted and answered) before it fails and
   * its connection is closed.
   */
  Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Bytes a drain sent unasked that a writer reads and drops before a write, at most: enough for a
   * close_notify or a session ticket, and a bound on a drain that sends without end.
   */
  int MAX_PENDING_BYTES = 64 * 1024;

  /** Opens the connection (resolving, connecting, TLS handshake), blocking up to a timeout. */
  void connect() throws IOException;

  /**
   * Writes one batch and flushes it: the whole batch or an exception. After an exception the
   * connection is unusable until {@link #connect} succeeds again.
   *
   * @throws RejectedBatchException when the drain answered and refused this batch (it is not
   *     retried)
   */
  void write(BatchBuffer batch) throws IOException;

  /** Closes the connection; never throws, may be called from any thread and more than once. */
  void close();

  /** How many frames one batch holds at most. */
  int maxBatchFrames();

  /** Exception thrown when a drain answered and refused a batch, such as an HTTP status 400. */
  final class RejectedBatchException extends IOException {
    private static final long serialVersionUID = 1L;

    public RejectedBatchException(String message) {
      super(message);
    }
  }
}
