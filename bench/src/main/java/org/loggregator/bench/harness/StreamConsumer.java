package org.loggregator.bench.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.loggregator.protocol.EnvelopeBatch;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.LgrNotice;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RoutingFields;

/**
 * Reads an app's stream (or a firehose) through a traffic controller's WebSocket API, as a client
 * would, and counts the app's envelopes: those stamped from a given moment on, and with each its
 * latency from the envelope's timestamp (the moment the generator was due to send it) to its
 * arrival here, in an HdrHistogram. Loss notices ({@code LGR}) are counted apart. Reads only the
 * routing fields of each envelope. Asks for {@link EnvelopeBatch batches}, as {@code logs} does,
 * unless told not to, as a client of the original system would.
 */
final class StreamConsumer implements WebSocket.Listener {
  /** The two kinds of client the harness measures. */
  enum Kind {
    /** Asks for envelope batches, as {@code logs} does. */
    BATCHED,
    /**
     * One envelope per WebSocket message: the original protocol, which every other client reads.
     */
    UNBATCHED;

    /** As the table and the options name it: {@code batched}, {@code unbatched}. */
    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final byte[] NOTICE_SOURCE =
      LgrNotice.SOURCE_TYPE.getBytes(StandardCharsets.UTF_8);

  private final byte[] appId;
  private final EnvelopeReader reader = new EnvelopeReader();
  private final RoutingFields fields = new RoutingFields();
  private byte[] partial = new byte[4096];
  private int partialLength;
  private volatile long countFrom = Long.MAX_VALUE;
  private final Recorder latencies = new Recorder(3);
  private final AtomicLong counted = new AtomicLong();
  private final AtomicLong seen = new AtomicLong();
  private final AtomicLong notices = new AtomicLong();
  private WebSocket socket;
  private boolean batched;

  private StreamConsumer(String appId) {
    this.appId = appId.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Opens {@code url} with the bearer token, asking for batches if {@code kind} is {@link
   * Kind#BATCHED}; fails if the controller refuses it in 10 s.
   */
  static StreamConsumer open(HttpClient client, String url, String token, String appId, Kind kind)
      throws Exception {
    boolean askForBatches = kind == Kind.BATCHED;
    StreamConsumer consumer = new StreamConsumer(appId);
    WebSocket.Builder builder =
        client.newWebSocketBuilder().header("Authorization", "bearer " + token);
    if (askForBatches) {
      builder.subprotocols(EnvelopeBatch.SUBPROTOCOL);
    }
    consumer.socket = builder.buildAsync(URI.create(url), consumer).get(10, TimeUnit.SECONDS);
    return consumer;
  }

  /** From now on, counts the app's envelopes stamped at or after {@code timestampNanos}. */
  void countFrom(long timestampNanos) {
    latencies.reset();
    counted.set(0);
    notices.set(0);
    countFrom = timestampNanos;
  }

  /** The app's envelopes seen at all, counted or not (to know the stream is flowing). */
  long seen() {
    return seen.get();
  }

  long counted() {
    return counted.get();
  }

  long notices() {
    return notices.get();
  }

  /** The latencies in nanoseconds recorded since {@link #countFrom}; call once, after the run. */
  Histogram latencies() {
    return latencies.getIntervalHistogram();
  }

  void close() {
    socket.abort();
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    batched = EnvelopeBatch.SUBPROTOCOL.equals(webSocket.getSubprotocol());
    webSocket.request(Long.MAX_VALUE); // read as fast as the messages come
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    int n = data.remaining();
    if (partialLength + n > partial.length) {
      partial = Arrays.copyOf(partial, Math.max(partial.length * 2, partialLength + n));
    }
    data.get(partial, partialLength, n);
    partialLength += n;
    if (last) {
      if (batched) {
        try {
          EnvelopeBatch.forEach(partial, 0, partialLength, this::count);
        } catch (IllegalArgumentException e) {
          System.err.println("The controller sent a malformed batch: " + e.getMessage());
        }
      } else {
        count(partial, 0, partialLength);
      }
      partialLength = 0;
    }
    return null;
  }

  private void count(byte[] bytes, int offset, int length) {
    long now = LgrNotice.nowNanos();
    if (reader.read(bytes, offset, length, fields) == ReadResult.OK && isOurs()) {
      seen.incrementAndGet();
      if (isNotice()) {
        notices.incrementAndGet();
      } else if (fields.timestamp() >= countFrom) {
        counted.incrementAndGet();
        latencies.recordValue(Math.max(0, now - fields.timestamp()));
      }
    }
  }

  private boolean isOurs() {
    return fields.hasAppId()
        && Arrays.equals(
            fields.appIdBytes(),
            fields.appIdOffset(),
            fields.appIdOffset() + fields.appIdLength(),
            appId,
            0,
            appId.length);
  }

  private boolean isNotice() {
    return fields.sourceTypeOffset() >= 0
        && Arrays.equals(
            fields.buffer(),
            fields.sourceTypeOffset(),
            fields.sourceTypeOffset() + fields.sourceTypeLength(),
            NOTICE_SOURCE,
            0,
            NOTICE_SOURCE.length);
  }
}
