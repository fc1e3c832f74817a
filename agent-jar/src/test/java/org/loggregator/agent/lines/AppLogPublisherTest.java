package org.loggregator.agent.lines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.loggregator.agent.forward.ManyToOneEnvelopeRing;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.agent.ratelimit.LogRateLimiter;
import org.loggregator.protocol.LogEnvelopeWriter;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

class AppLogPublisherTest {

  private static final String APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";
  private final AgentCounters counters = new AgentCounters();

  private AppLogPublisher publisher(ManyToOneEnvelopeRing ring, LogRateLimiter limiter) {
    LogEnvelopeWriter writer =
        LogEnvelopeWriter.builder("agent")
            .appId(APP)
            .sourceType("APP")
            .sourceInstance("3")
            .tag("drain_urls", "syslog://a:1 https://b/c")
            .build();
    LogEnvelopeWriter notices =
        LogEnvelopeWriter.builder("agent").appId(APP).sourceType("LGR").sourceInstance("3").build();
    return new AppLogPublisher(
        LogEnvelopeWriter.ERR,
        writer,
        notices,
        ring,
        7,
        limiter,
        APP.getBytes(StandardCharsets.UTF_8),
        counters);
  }

  private static List<Envelope> drain(ManyToOneEnvelopeRing ring, List<Integer> destinations) {
    List<Envelope> out = new ArrayList<>();
    ring.drain(
        (destination, appKey, buffer, offset, length) -> {
          destinations.add(destination);
          try {
            out.add(Envelope.parseFrom(Arrays.copyOfRange(buffer, offset, offset + length)));
          } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
          }
        },
        Integer.MAX_VALUE);
    return out;
  }

  private static void line(LineConsumer c, String text, long ts, int part, boolean last) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    c.onLine(b, 0, b.length, ts, part, last);
  }

  @Test
  void shouldEncodeALogMessageWithTheAppFieldsAndDrainsWhenALineArrives() {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    line(publisher(ring, null), "hello", 1_000, 0, true);
    List<Integer> destinations = new ArrayList<>();
    Envelope e = drain(ring, destinations).get(0);

    LogMessage log = e.getLogMessage();
    assertEquals("agent", e.getOrigin());
    assertEquals(1_000, e.getTimestamp());
    assertEquals("hello", log.getMessage().toStringUtf8());
    assertEquals(LogMessage.MessageType.ERR, log.getMessageType());
    assertEquals(APP, log.getAppId());
    assertEquals("APP", log.getSourceType());
    assertEquals("3", log.getSourceInstance());
    assertEquals("syslog://a:1 https://b/c", e.getTagsOrThrow("drain_urls"));
    assertEquals(List.of(7), destinations);
  }

  @Test
  void shouldMarkEachPartWhenALineWasSplit() {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    AppLogPublisher p = publisher(ring, null);
    line(p, "aaa", 5, 1, false);
    line(p, "bbb", 5, 2, false);
    line(p, "c", 5, 3, true);
    List<Envelope> envelopes = drain(ring, new ArrayList<>());
    assertEquals(
        List.of("1", "2", "3/3"),
        envelopes.stream().map(e -> e.getTagsOrThrow(AppLogPublisher.LINE_PART_TAG)).toList());
    assertEquals("syslog://a:1 https://b/c", envelopes.get(0).getTagsOrThrow("drain_urls"));
  }

  @Test
  void shouldKeepTimestampsStrictlyIncreasingWhenLinesAreReadTogether() {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    AppLogPublisher p = publisher(ring, null);
    line(p, "a", 100, 0, true);
    line(p, "b", 100, 0, true);
    line(p, "c", 90, 0, true);
    line(p, "d", 200, 0, true);
    assertEquals(
        List.of(100L, 101L, 102L, 200L),
        drain(ring, new ArrayList<>()).stream()
            .map(e -> e.getLogMessage().getTimestamp())
            .toList());
  }

  @Test
  void shouldDropCountAndLaterNotifyTheAppWhenTheRingIsFull() {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    AppLogPublisher p = publisher(ring, null);
    String text = "x".repeat(1000);
    int accepted = 0;
    for (int i = 0; i < 200; i++) {
      line(p, text, 1_000_000_000L + i, 0, true);
    }
    accepted = drain(ring, new ArrayList<>()).size();
    long dropped = counters.get(AgentCounter.DROPPED_QUEUE_FULL);
    assertTrue(dropped > 0);
    assertEquals(200, accepted + dropped);

    line(p, "after", 3_000_000_000L, 0, true);
    List<Envelope> next = drain(ring, new ArrayList<>());
    assertEquals("after", next.get(0).getLogMessage().getMessage().toStringUtf8());
    LogMessage notice = next.get(1).getLogMessage();
    assertEquals("LGR", notice.getSourceType());
    assertEquals(LogMessage.MessageType.ERR, notice.getMessageType());
    assertEquals(
        "Log message output too high. We've dropped "
            + dropped
            + " messages to the agent's forward queue.",
        notice.getMessage().toStringUtf8());
    assertEquals(1, counters.get(AgentCounter.NOTICES));
  }

  @Test
  void shouldDropCountAndNotifyOncePerSecondWhenTheRateLimitIsExceeded() {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 20);
    AppLogPublisher p = publisher(ring, new LogRateLimiter(3, 1));
    long second = 1_700_000_000_000_000_000L;
    for (int i = 0; i < 10; i++) {
      line(p, "line " + i, second + i, 0, true);
    }
    for (int i = 0; i < 10; i++) {
      line(p, "next " + i, second + 1_000_000_000L + i, 0, true);
    }
    List<String> messages =
        drain(ring, new ArrayList<>()).stream()
            .map(
                e ->
                    e.getLogMessage().getSourceType()
                        + ":"
                        + e.getLogMessage().getMessage().toStringUtf8())
            .toList();
    String notice = "LGR:app instance exceeded log rate limit (3 log-lines/sec)";
    assertEquals(
        List.of(
            "APP:line 0",
            "APP:line 1",
            "APP:line 2",
            notice,
            "APP:next 0",
            "APP:next 1",
            "APP:next 2",
            notice),
        messages);
    assertEquals(14, counters.get(AgentCounter.DROPPED_RATE_LIMITED));
  }
}
