package org.loggregator.bench.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.loggregator.protocol.LgrNotice;
import org.loggregator.protocol.LogEnvelopeWriter;

/**
 * Sends LogMessage envelopes of one app to a UDP address at a fixed, evenly paced rate, each
 * stamped with the time it was due to be sent, not the time it left: when the sender falls behind
 * (a pause of this process, a full socket), the delay counts as latency, as it would for an app
 * whose log line waited, so the measured latency has no coordinated omission. Each datagram is
 * exactly {@code size} bytes. Between sends the thread parks; when the next send is due in less
 * than the timer's slack it is sent at once, so above some tens of thousands a second the envelopes
 * leave in small bursts whose average is the rate. Allocates nothing per envelope.
 */
final class PacedGenerator {
  /** Sends due within this many nanoseconds go now rather than after a park. */
  private static final long EARLY_NANOS = 40_000;

  private final LogEnvelopeWriter writer;
  private final byte[] message;
  private final byte[] datagram;
  private final ByteBuffer buffer;

  PacedGenerator(String appId, int size) {
    this.writer =
        LogEnvelopeWriter.builder("loadgen")
            .appId(appId)
            .sourceType("APP")
            .sourceInstance("0")
            .build();
    int messageLength = messageLength(writer, size);
    this.message = new byte[messageLength];
    Arrays.fill(message, (byte) 'x');
    byte[] prefix = "load ".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(prefix, 0, message, 0, Math.min(prefix.length, messageLength));
    this.datagram = new byte[size + 16]; // room for a longer timestamp in a later era
    this.buffer = ByteBuffer.wrap(datagram);
  }

  /**
   * The message length that makes {@code writer}'s envelopes exactly {@code size} bytes (for the
   * timestamps of this era).
   */
  static int messageLength(LogEnvelopeWriter writer, int size) {
    long now = LgrNotice.nowNanos();
    int overhead = writer.encodedLength(now, 0);
    int length = size - overhead;
    // The length prefix of the message grows by a byte past 127: settle on the exact length.
    while (length > 0 && writer.encodedLength(now, length) > size) {
      length--;
    }
    if (length < 1) {
      throw new IllegalArgumentException(
          "--size must be at least " + (overhead + 1) + " bytes for this app id.");
    }
    return length;
  }

  /** Bytes of each datagram (for the timestamps of this era). */
  int datagramLength() {
    return writer.encodedLength(LgrNotice.nowNanos(), message.length);
  }

  /** Sends one envelope now (outside a measured run). */
  void sendOne(DatagramChannel channel) throws IOException {
    send(channel, LgrNotice.nowNanos());
  }

  /**
   * Sends for {@code nanos} at {@code rate} envelopes a second, or as fast as the socket takes them
   * when {@code rate} is 0; returns how many were sent.
   */
  long run(DatagramChannel channel, int rate, long nanos) throws IOException {
    long start = System.nanoTime();
    long wallStart = LgrNotice.nowNanos();
    long end = start + nanos;
    long sent = 0;
    if (rate <= 0) {
      while (System.nanoTime() < end) {
        for (int i = 0; i < 64; i++) {
          send(channel, LgrNotice.nowNanos());
        }
        sent += 64;
      }
      return sent;
    }
    long total = rate * nanos / 1_000_000_000L;
    while (sent < total) {
      long offset = sent * 1_000_000_000L / rate;
      long wait = start + offset - System.nanoTime();
      if (wait > EARLY_NANOS) {
        LockSupport.parkNanos(wait - EARLY_NANOS / 2);
        continue;
      }
      send(channel, wallStart + offset);
      sent++;
    }
    return sent;
  }

  private void send(DatagramChannel channel, long timestampNanos) throws IOException {
    int length =
        writer.write(
            datagram, 0, LogEnvelopeWriter.OUT, timestampNanos, message, 0, message.length);
    buffer.clear().limit(length);
    channel.write(buffer);
  }

  static DatagramChannel connect(InetSocketAddress target) throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    channel.connect(target);
    return channel;
  }
}
