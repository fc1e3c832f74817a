package org.loggregator.agent.emitter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.loggregator.protocol.CounterEnvelopeWriter;
import org.loggregator.protocol.DatagramSignature;

/**
 * Sends dropsonde envelopes, unsigned, one per UDP datagram, to an agent's ingress (by default the
 * host's agent on 127.0.0.1:3457), as any dropsonde emitter does; thread-safe, and it never blocks:
 * the socket is non-blocking, and an envelope the socket cannot take at once is dropped and counted
 * in {@link #dropped()}. Nothing is allocated per envelope once a thread has sent its first one
 * (each thread encodes into its own buffers).
 *
 * <p>Logs go through a {@link LogSource} (one per app instance and source type); counters through
 * {@link #counter}; any other envelope, already encoded (such as {@code envelope.toByteArray()}),
 * through {@link #emit}.
 */
public final class Emitter implements AutoCloseable {

  /** The agent's default ingress address. */
  public static final InetSocketAddress LOCAL_AGENT = new InetSocketAddress("127.0.0.1", 3457);

  /** The longest message one LogMessage carries; longer ones are sent in parts. */
  public static final int MAX_MESSAGE_BYTES = 61_440;

  private final DatagramChannel channel;
  private final InetSocketAddress agent;
  private final String origin;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final ConcurrentHashMap<String, CounterState> counters = new ConcurrentHashMap<>();
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  private Emitter(DatagramChannel channel, InetSocketAddress agent, String origin) {
    this.channel = channel;
    this.agent = agent;
    this.origin = origin;
  }

  /** An emitter to the host's agent on 127.0.0.1:3457, with this origin on every envelope. */
  public static Emitter toLocalAgent(String origin) throws IOException {
    return to(LOCAL_AGENT, origin);
  }

  /**
   * An emitter to the agent ingress at {@code agent}.
   *
   * @throws IOException if no UDP socket can be opened
   */
  public static Emitter to(InetSocketAddress agent, String origin) throws IOException {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(origin, "origin");
    DatagramChannel channel = DatagramChannel.open();
    channel.configureBlocking(false);
    return new Emitter(channel, agent, origin);
  }

  /** The origin of this emitter's envelopes. */
  public String origin() {
    return origin;
  }

  /**
   * A source of log lines for one app instance, such as {@code logSource(appId, "APP", "0")}. Keep
   * it and reuse it: building one encodes its fixed fields.
   */
  public LogSource logSource(String appId, String sourceType, String sourceInstance) {
    return new LogSource(this, appId, sourceType, sourceInstance);
  }

  /**
   * Adds {@code delta} to the counter {@code name} and sends a CounterEvent with the delta and the
   * running total of this emitter; false if it was dropped.
   */
  public boolean counter(String name, long delta) {
    CounterState state =
        counters.computeIfAbsent(
            name, n -> new CounterState(CounterEnvelopeWriter.builder(origin, n).build()));
    long total = state.total.addAndGet(delta);
    long now = nowNanos();
    Scratch s = scratch.get();
    int length = state.writer.encodedLength(now, delta, total);
    state.writer.write(s.envelope, 0, now, delta, total);
    return send(s, length);
  }

  /** Sends one encoded envelope {@code envelope[offset, offset + length)}; false if dropped. */
  public boolean emit(byte[] envelope, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, envelope.length);
    if (length > DatagramSignature.MAX_DATAGRAM) {
      dropped.incrementAndGet();
      return false;
    }
    Scratch s = scratch.get();
    System.arraycopy(envelope, offset, s.envelope, 0, length);
    return send(s, length);
  }

  /** Envelopes handed to the socket so far. */
  public long sent() {
    return sent.get();
  }

  /** Envelopes dropped so far: the socket had no room, failed, or the envelope was too long. */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  Scratch scratch() {
    return scratch.get();
  }

  boolean send(Scratch s, int length) {
    s.view.limit(length).position(0);
    try {
      if (channel.send(s.view, agent) > 0) {
        sent.incrementAndGet();
        return true;
      }
    } catch (IOException e) {
      // dropped below: an emitter never throws at its caller over a lost log line
    }
    dropped.incrementAndGet();
    return false;
  }

  static long nowNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** One thread's encoding buffers. */
  static final class Scratch {
    final byte[] text = new byte[MAX_MESSAGE_BYTES];
    final byte[] envelope = new byte[DatagramSignature.MAX_DATAGRAM + 1];
    final ByteBuffer view = ByteBuffer.wrap(envelope);
    final byte[] partValue = new byte[24];
    final int[] position = new int[1];
  }

  private static final class CounterState {
    final CounterEnvelopeWriter writer;
    final AtomicLong total = new AtomicLong();

    CounterState(CounterEnvelopeWriter writer) {
      this.writer = writer;
    }
  }
}
