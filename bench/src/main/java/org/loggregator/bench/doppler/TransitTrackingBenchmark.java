package org.loggregator.bench.doppler;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.loggregator.bench.StandardRun;
import org.loggregator.doppler.transit.TransitCounters;
import org.loggregator.doppler.transit.TransitLossTracker;
import org.loggregator.metrics.MetricName;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.TransitTrailer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What transit tracking adds to the doppler's receive path, one envelope per operation: reading the
 * routing fields of an envelope with its transit trailer, with and without noting it in the {@link
 * TransitLossTracker}. The envelopes are the {@link LogDatagrams} ({@value LogDatagrams#APPS} apps)
 * with a trailer appended; before each operation the envelope's sequence number is advanced in
 * place (four byte stores), so the tracker sees each app's numbers in order, as from a healthy
 * agent, and no HMAC is computed there; the HMAC check with and without a trailer is measured apart
 * (a trailer can add a SHA-256 block).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TransitTrackingBenchmark extends StandardRun {

  private final EnvelopeReader reader = new EnvelopeReader();
  private final RoutingFields fields = new RoutingFields();
  private final TransitLossTracker tracker =
      new TransitLossTracker(
          100_000, 12, new TransitCounters(MetricName.localCounters(), Map.of(), 1_000));
  private DatagramSignature signature;
  private byte[][] plainDatagrams;
  private byte[][] numberedDatagrams;
  private byte[][] envelopes;
  private int[] sequenceAt;
  private final int[] nextSequence = new int[LogDatagrams.APPS];
  private int next;

  @Setup
  public void build() {
    signature = new DatagramSignature(org.loggregator.bench.BenchSecret.SECRET);
    byte[][] signed = LogDatagrams.signed(signature);
    plainDatagrams = signed;
    numberedDatagrams = new byte[signed.length][];
    envelopes = new byte[signed.length][];
    sequenceAt = new int[signed.length];
    byte[] host = TransitTrailer.hostBytes("diego-cell-0");
    for (int i = 0; i < signed.length; i++) {
      int length = signed[i].length - DatagramSignature.HMAC_LENGTH;
      byte[] e = new byte[length + TransitTrailer.MAX_LENGTH];
      System.arraycopy(signed[i], DatagramSignature.HMAC_LENGTH, e, 0, length);
      int n = TransitTrailer.write(e, length, 0x5eed, 0, host);
      envelopes[i] = java.util.Arrays.copyOf(e, length + n);
      numberedDatagrams[i] = signature.sign(envelopes[i], 0, envelopes[i].length);
      sequenceAt[i] = length + 2 + 1 + 1 + 8; // tag, length, version, epoch
    }
  }

  private byte[] nextEnvelope() {
    int i = next;
    next = (i + 1) & (LogDatagrams.DATAGRAMS - 1);
    return numbered(i, nextSequence[i % LogDatagrams.APPS]++);
  }

  /** Envelope {@code i} with its trailer's sequence number set to {@code s}. */
  private byte[] numbered(int i, int s) {
    byte[] e = envelopes[i];
    int at = sequenceAt[i];
    e[at] = (byte) (s >>> 24);
    e[at + 1] = (byte) (s >>> 16);
    e[at + 2] = (byte) (s >>> 8);
    e[at + 3] = (byte) s;
    return e;
  }

  /** The next envelope of app 0, numbered one more than its last. */
  private byte[] nextEnvelopeOfOneApp() {
    return numbered(0, nextSequence[0]++);
  }

  /** The HMAC check of a 211-byte datagram without a trailer, as {@code DopplerPathBenchmark}. */
  @Benchmark
  public boolean verifyWithoutTrailer() {
    byte[] d = plainDatagrams[next];
    next = (next + 1) & (LogDatagrams.DATAGRAMS - 1);
    return signature.verify(d, 0, d.length);
  }

  /** The HMAC check of the same datagram with a trailer naming host {@code diego-cell-0}. */
  @Benchmark
  public boolean verifyWithTrailer() {
    byte[] d = numberedDatagrams[next];
    next = (next + 1) & (LogDatagrams.DATAGRAMS - 1);
    return signature.verify(d, 0, d.length);
  }

  /** Read the routing fields of an envelope that carries a trailer. */
  @Benchmark
  public void readWithTrailer(Blackhole bh) {
    byte[] e = nextEnvelope();
    bh.consume(reader.read(e, 0, e.length, fields));
    bh.consume(fields.transitSequence());
  }

  /**
   * The same, then note it in the tracker: the doppler's per-envelope cost of tracking, with every
   * envelope of another app than the one before (the tracker's worst case).
   */
  @Benchmark
  public void readWithTrailerAndTrack(Blackhole bh) {
    byte[] e = nextEnvelope();
    bh.consume(reader.read(e, 0, e.length, fields));
    tracker.record(fields);
  }

  /**
   * The same with a run of one app's lines, as a busy app sends them: the tracker finds the entry
   * of the envelope before without hashing the app id.
   */
  @Benchmark
  public void readWithTrailerAndTrackOneApp(Blackhole bh) {
    byte[] e = nextEnvelopeOfOneApp();
    bh.consume(reader.read(e, 0, e.length, fields));
    tracker.record(fields);
  }
}
