package org.loggregator.bench.doppler;

import java.util.function.Consumer;
import org.loggregator.sink.SubscriberTransport;

/**
 * A subscriber connection that puts nothing on a wire: each send and flush is counted, and each
 * send completed before {@link #send} returns, so a benchmark measures the subscriber's queue and
 * writer, not I/O. Used by one writer at a time, as {@link org.loggregator.sink.Subscriber}
 * guarantees; read the counts only after the writers have stopped.
 */
final class CountingTransport implements SubscriberTransport {
  private final String description;
  private long sent;
  private long sentBytes;
  private long flushes;

  CountingTransport(String description) {
    this.description = description;
  }

  @Override
  public void send(byte[] envelope, Consumer<Throwable> done) {
    sent++;
    sentBytes += envelope.length; // touches the envelope, as a real send would
    done.accept(null);
  }

  @Override
  public void flush() {
    flushes++;
  }

  @Override
  public void close(int code, String reason) {}

  @Override
  public String description() {
    return description;
  }

  long sent() {
    return sent;
  }

  long flushes() {
    return flushes;
  }
}
