package org.loggregator.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.loggregator.agent.forward.ManyToOneEnvelopeRing;
import org.loggregator.protocol.events.Envelope;

class CounterEventReporterTest {

  private static List<Envelope> drain(ManyToOneEnvelopeRing ring) {
    List<Envelope> out = new ArrayList<>();
    ring.drain(
        (d, k, b, o, l) -> {
          assertEquals(ManyToOneEnvelopeRing.ANY_DESTINATION, d);
          try {
            out.add(Envelope.parseFrom(Arrays.copyOfRange(b, o, o + l)));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        },
        1000);
    return out;
  }

  @Test
  void shouldSendDeltaAndTotalOfEachCounterThatMovedWhenReporting() {
    AgentCounters counters = new AgentCounters();
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    CounterEventReporter reporter = new CounterEventReporter(counters, ring, 5_000);
    counters.add(AgentCounter.INGRESS_RECEIVED_MESSAGES, 10);
    counters.add(AgentCounter.DROPPED_RATE_LIMITED, 4);

    assertEquals(2, reporter.reportNow());
    List<Envelope> first = drain(ring);
    Envelope received = first.get(0);
    assertEquals("MetronAgent", received.getOrigin());
    assertEquals(Envelope.EventType.CounterEvent, received.getEventType());
    assertEquals(
        "dropsondeAgentListener.receivedMessageCount", received.getCounterEvent().getName());
    assertEquals(10, received.getCounterEvent().getDelta());
    assertEquals(10, received.getCounterEvent().getTotal());
    Envelope dropped = first.get(1);
    assertEquals("agent.droppedMessages", dropped.getCounterEvent().getName());
    assertEquals("rateLimited", dropped.getTagsOrThrow("reason"));
    assertEquals("ingress", dropped.getTagsOrThrow("direction"));

    assertEquals(0, reporter.reportNow(), "nothing moved");
    counters.add(AgentCounter.INGRESS_RECEIVED_MESSAGES, 5);
    assertEquals(1, reporter.reportNow());
    Envelope next = drain(ring).get(0);
    assertEquals(5, next.getCounterEvent().getDelta());
    assertEquals(15, next.getCounterEvent().getTotal());
  }
}
