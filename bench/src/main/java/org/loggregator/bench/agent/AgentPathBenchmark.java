package org.loggregator.bench.agent;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.loggregator.agent.forward.DopplerRoutes;
import org.loggregator.agent.forward.ManyToOneEnvelopeRing;
import org.loggregator.agent.forward.TransitNumbering;
import org.loggregator.agent.lines.AppLogPublisher;
import org.loggregator.agent.lines.LineSplitter;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.bench.StandardRun;
import org.loggregator.config.HostPort;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.LogEnvelopeWriter;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RoutingFields;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * The agent's hot paths without sockets, one envelope per operation, so ops/s is envelopes/s: a
 * child's line through the splitter and publisher into the ring; an ingress envelope read, routed
 * and copied into the ring; and the sender's in-place signing. Each operation also takes its
 * envelope out of the ring again (the consumer's side, zeroing included), so the ring never fills
 * and no operation takes the cheaper drop path.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AgentPathBenchmark extends StandardRun {

  private static final String APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";

  private final ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(8 << 20);
  private final EnvelopeReader reader = new EnvelopeReader();
  private final RoutingFields fields = new RoutingFields();
  private final DatagramSignature signature =
      new DatagramSignature(org.loggregator.bench.BenchSecret.SECRET);
  private final long[] consumed = new long[1];
  private final ManyToOneEnvelopeRing.Handler count = (d, k, b, o, l) -> consumed[0] += l;
  private final ManyToOneEnvelopeRing.Handler sign =
      (d, k, b, o, l) ->
          consumed[0] += signature.sign(b, o, l, b, o - DatagramSignature.HMAC_LENGTH);
  private final TransitNumbering numbering =
      new TransitNumbering("host-1", () -> 42L, new AgentCounters(), 16_384);
  private final ManyToOneEnvelopeRing.Handler numberAndSign =
      (d, k, b, o, l) -> {
        int n = l + numbering.append(k, b, o + l);
        consumed[0] += signature.sign(b, o, n, b, o - DatagramSignature.HMAC_LENGTH);
      };
  private final long appKey;

  {
    byte[] app = APP.getBytes(StandardCharsets.UTF_8);
    appKey = TransitNumbering.appKey(app, 0, app.length);
  }

  private LineSplitter splitter;
  private DopplerRoutes routes;
  private byte[] line;
  private byte[] envelope;
  private long timestamp = 1_700_000_000_000_000_000L;

  @Setup
  public void build() {
    LogEnvelopeWriter writer =
        LogEnvelopeWriter.builder("agent").appId(APP).sourceType("APP").sourceInstance("0").build();
    splitter =
        new LineSplitter(61_440, AppLogPublisher.unread(writer, ring, APP, new AgentCounters()));
    line =
        "line 12345 the quick brown fox jumps over the lazy dog, then logs about it at length ok\n"
            .getBytes(StandardCharsets.US_ASCII);
    routes =
        DopplerRoutes.toDopplers(
            List.of(
                new HostPort("10.0.0.5", 3458),
                new HostPort("10.0.0.6", 3458),
                new HostPort("10.0.0.7", 3458)));
    byte[] message = "x".repeat(112).getBytes(StandardCharsets.US_ASCII);
    envelope = new byte[writer.encodedLength(timestamp, message.length)];
    writer.write(envelope, 0, LogEnvelopeWriter.OUT, timestamp, message, 0, message.length);
  }

  /** One ~90-byte line of a child: split, timestamped, encoded into the ring, taken out. */
  @Benchmark
  public long childLineToRing() {
    splitter.feed(line, 0, line.length, timestamp++);
    ring.drain(count, 1);
    return consumed[0];
  }

  /** One ingress envelope: checked, routed by app id (3 dopplers), copied into the ring, out. */
  @Benchmark
  public long ingressEnvelopeToRing() {
    if (reader.read(envelope, 0, envelope.length, fields) != ReadResult.OK) {
      throw new IllegalStateException("invalid envelope");
    }
    int destination =
        routes.destinationOf(fields.appIdBytes(), fields.appIdOffset(), fields.appIdLength());
    ring.offer(destination, envelope, 0, envelope.length);
    ring.drain(count, 1);
    return consumed[0];
  }

  /**
   * As {@link #signInPlace}, for an app's log line: numbered, its transit trailer appended, then
   * envelope and trailer signed in place; the difference is the sender's cost of transit numbering.
   */
  @Benchmark
  public long numberAndSignInPlace() {
    ring.offer(0, appKey, envelope, 0, envelope.length);
    ring.drain(numberAndSign, 1);
    return consumed[0];
  }

  /** The sender's work before the socket: take one envelope out and sign it in place. */
  @Benchmark
  public long signInPlace() {
    ring.offer(0, envelope, 0, envelope.length);
    ring.drain(sign, 1);
    return consumed[0];
  }
}
