package org.loggregator.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.loggregator.protocol.events.CounterEvent;
import org.loggregator.protocol.events.Envelope;

class CounterEnvelopeWriterTest {

  @Test
  void shouldWriteTheGoldenBytesWhenBuiltWithTheFieldsOfCounterEvent() {
    Envelope golden = GoldenVectors.decoded("counter_event");
    CounterEvent counter = golden.getCounterEvent();
    CounterEnvelopeWriter writer =
        CounterEnvelopeWriter.builder(golden.getOrigin(), counter.getName()).build();
    long ts = golden.getTimestamp();
    byte[] dst = new byte[writer.encodedLength(ts, counter.getDelta(), counter.getTotal())];

    int n = writer.write(dst, 0, ts, counter.getDelta(), counter.getTotal());

    assertEquals(dst.length, n);
    assertArrayEquals(GoldenVectors.envelopeBytes("counter_event"), dst);
  }

  @Test
  void shouldMatchProtobufJavaWhenCountersCarryTagsAndLargeValues() {
    long[] values = {0, 1, 127, 128, 1L << 35, Long.MAX_VALUE, -1};
    for (long delta : values) {
      for (long total : values) {
        CounterEnvelopeWriter writer =
            CounterEnvelopeWriter.builder("MetronAgent", "agent.droppedMessages")
                .job("agent")
                .tag("direction", "ingress")
                .tag("reason", "queueFull")
                .build();
        long ts = 1_700_000_000_000_000_001L;
        byte[] dst = new byte[writer.encodedLength(ts, delta, total) + 2];
        int n = writer.write(dst, 1, ts, delta, total);
        Envelope.Builder expected =
            TestEnvelopes.counter("agent.droppedMessages", delta)
                .setOrigin("MetronAgent")
                .setTimestamp(ts)
                .setJob("agent")
                .putTags("direction", "ingress")
                .putTags("reason", "queueFull");
        expected.getCounterEventBuilder().setTotal(total);
        assertArrayEquals(
            TestEnvelopes.bytes(expected),
            java.util.Arrays.copyOfRange(dst, 1, 1 + n),
            delta + "/" + total);
      }
    }
  }

  @Test
  void shouldNotAllocateWhenWriting() {
    CounterEnvelopeWriter writer =
        CounterEnvelopeWriter.builder("MetronAgent", "DopplerForwarder.sentMessages").build();
    byte[] dst = new byte[256];
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) {
      writer.write(dst, 0, i, i, i * 3L);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    long sum = 0;
    for (int i = 0; i < 20_000; i++) {
      sum += writer.write(dst, 0, i, i, i * 3L);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(sum > 0);
    assertTrue(allocated < 4_096, "allocated " + allocated + " bytes for 20,000 envelopes");
  }
}
