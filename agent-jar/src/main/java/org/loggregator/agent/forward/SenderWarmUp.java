package org.loggregator.agent.forward;

import java.nio.charset.StandardCharsets;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.LogEnvelopeWriter;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.TransitTrailer;

/**
 * Runs the agent's per-envelope work once per round on a scratch envelope before any traffic
 * arrives: writing a log line, reading its routing fields, hashing its app id, numbering and
 * signing it (not sending it). A freshly started agent otherwise meets its first load with that
 * code interpreted, on two cores that the servers' compilers want too, and its queue fills while
 * the sender catches up (docs/PERFORMANCE.md, "Cold"). Nothing real is touched: the numbering is a
 * scratch one with counters of its own.
 */
public final class SenderWarmUp {

  /** Rounds at start: enough for the JIT's top tier on the methods involved. */
  public static final int ROUNDS = 40_000;

  private SenderWarmUp() {}

  /**
   * Runs {@code rounds} rounds on the calling thread with {@code signature}, before the sender
   * thread starts (a signature is used by one thread at a time).
   *
   * @return a value derived from the work, so that none of it is optimised away
   */
  public static long run(DatagramSignature signature, int rounds) {
    LogEnvelopeWriter writer =
        LogEnvelopeWriter.builder("agent-warm-up")
            .appId("warm-up")
            .sourceType("APP")
            .sourceInstance("0")
            .build();
    byte[] line =
        "warming the agent's path before the first load: 2026-01-01T00:00:00Z INFO"
            .getBytes(StandardCharsets.UTF_8);
    int room = writer.encodedLength(0, line.length) + TransitTrailer.MAX_LENGTH;
    byte[] buffer = new byte[DatagramSignature.HMAC_LENGTH + room];
    EnvelopeReader reader = new EnvelopeReader();
    RoutingFields fields = new RoutingFields();
    TransitNumbering numbering = new TransitNumbering("warm-up", () -> 1L, new AgentCounters(), 16);
    long sink = 0;
    for (int i = 0; i < rounds; i++) {
      long now = 1_700_000_000_000_000_000L + i;
      int length =
          writer.write(
              buffer,
              DatagramSignature.HMAC_LENGTH,
              LogEnvelopeWriter.OUT,
              now,
              line,
              0,
              line.length);
      reader.read(buffer, DatagramSignature.HMAC_LENGTH, length, fields);
      long appKey =
          TransitNumbering.appKey(fields.appIdBytes(), fields.appIdOffset(), fields.appIdLength());
      int trailer = numbering.append(appKey, buffer, DatagramSignature.HMAC_LENGTH + length);
      sink += signature.sign(buffer, DatagramSignature.HMAC_LENGTH, length + trailer, buffer, 0);
      sink += buffer[i % buffer.length];
    }
    return sink;
  }
}
