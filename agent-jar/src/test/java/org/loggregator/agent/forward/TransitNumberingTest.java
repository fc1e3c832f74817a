package org.loggregator.agent.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.LogEnvelopeWriter;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RoutingFields;

class TransitNumberingTest {

  private final AgentCounters counters = new AgentCounters();
  private final AtomicLong epochs = new AtomicLong(100);
  private final byte[] buffer = new byte[4096];
  private final EnvelopeReader reader = new EnvelopeReader();
  private final RoutingFields fields = new RoutingFields();
  private final LogEnvelopeWriter writer =
      LogEnvelopeWriter.builder("agent").appId("app").sourceType("APP").build();

  private static long key(String appId) {
    byte[] b = appId.getBytes(StandardCharsets.UTF_8);
    return TransitNumbering.appKey(b, 0, b.length);
  }

  /** Writes an envelope, appends the trailer, reads it back. */
  private RoutingFields send(TransitNumbering numbering, long appKey) {
    byte[] message = "line".getBytes(StandardCharsets.US_ASCII);
    int length = writer.write(buffer, 0, LogEnvelopeWriter.OUT, 1L, message, 0, message.length);
    length += numbering.append(appKey, buffer, length);
    assertEquals(ReadResult.OK, reader.read(buffer, 0, length, fields));
    return fields;
  }

  @Test
  void shouldNumberEachAppFromZeroWithinTheEpoch() {
    TransitNumbering numbering = new TransitNumbering("h1", epochs::incrementAndGet, counters, 8);
    for (int i = 0; i < 3; i++) {
      assertEquals(i, send(numbering, key("a")).transitSequence());
    }
    assertEquals(0, send(numbering, key("b")).transitSequence());
    assertEquals(3, send(numbering, key("a")).transitSequence());
    assertEquals(101, fields.transitEpoch());
    assertEquals(
        "h1",
        new String(
            fields.buffer(),
            fields.transitHostOffset(),
            fields.transitHostLength(),
            StandardCharsets.UTF_8));
  }

  @Test
  void shouldAppendNothingWhenTheEnvelopeHasNoApp() {
    TransitNumbering numbering = new TransitNumbering("h1", epochs::incrementAndGet, counters, 8);
    assertEquals(0, numbering.append(ManyToOneEnvelopeRing.NO_APP, buffer, 0));
    assertTrue(!send(numbering, ManyToOneEnvelopeRing.NO_APP).hasTransit());
  }

  @Test
  void shouldStartANewEpochAndCountItWhenTheTableOfAppsIsFull() {
    TransitNumbering numbering = new TransitNumbering("h1", epochs::incrementAndGet, counters, 2);
    send(numbering, key("a"));
    send(numbering, key("a"));
    send(numbering, key("b"));
    long first = numbering.epoch();
    RoutingFields c = send(numbering, key("c"));
    assertNotEquals(first, c.transitEpoch());
    assertEquals(0, c.transitSequence());
    assertEquals(0, send(numbering, key("a")).transitSequence(), "every app from 0 again");
    assertEquals(1, counters.get(AgentCounter.TRANSIT_NEW_EPOCHS));
  }

  @Test
  void shouldGiveNoAppTheKeyOfNoApp() {
    assertEquals(ManyToOneEnvelopeRing.NO_APP, TransitNumbering.appKey(new byte[0], 0, 0));
    assertNotEquals(key("a"), key("b"));
    assertNotEquals(ManyToOneEnvelopeRing.NO_APP, key("" + "x"));
  }
}
