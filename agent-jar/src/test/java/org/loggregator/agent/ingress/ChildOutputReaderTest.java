package org.loggregator.agent.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.loggregator.agent.lines.JavaStackTraceJoiner;
import org.loggregator.agent.lines.LineConsumer;
import org.loggregator.agent.lines.LineSplitter;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;

class ChildOutputReaderTest {

  private final AgentCounters counters = new AgentCounters();
  private final List<String> lines = new ArrayList<>();
  private final LineConsumer record =
      (b, o, l, ts, part, last) -> {
        synchronized (lines) {
          lines.add(new String(b, o, l, StandardCharsets.UTF_8));
        }
      };

  @Test
  void shouldReadEveryLineCopyThemAndCountWhenTheStreamEnds() throws Exception {
    byte[] output = "a\nbb\n\nccc".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    ChildOutputReader reader =
        new ChildOutputReader(
            "stdout",
            new ByteArrayInputStream(output),
            copy,
            new LineSplitter(100, record),
            null,
            counters);
    reader.start();
    assertTrue(reader.awaitEnd(10_000));
    assertEquals(List.of("a", "bb", "ccc"), lines);
    assertEquals("a\nbb\n\nccc", copy.toString(StandardCharsets.UTF_8));
    assertEquals(4, counters.get(AgentCounter.CHILD_LINES));
    assertEquals(output.length, counters.get(AgentCounter.CHILD_BYTES));
  }

  @Test
  void shouldSendAHeldLineWhenTheChildGoesQuietWithoutClosingTheStream() throws Exception {
    PipedOutputStream child = new PipedOutputStream();
    PipedInputStream pipe = new PipedInputStream(child, 4096);
    JavaStackTraceJoiner joiner = new JavaStackTraceJoiner(1000, record);
    ChildOutputReader reader =
        new ChildOutputReader(
            "stderr", pipe, null, new LineSplitter(1000, joiner), joiner, counters);
    reader.start();
    child.write("java.lang.Error: x\n\tat a.B.c(B.java:1)\n".getBytes(StandardCharsets.UTF_8));
    child.flush();
    while (true) {
      synchronized (lines) {
        if (!lines.isEmpty()) {
          break;
        }
      }
      Thread.sleep(5);
    }
    assertEquals(List.of("java.lang.Error: x\n\tat a.B.c(B.java:1)"), lines);
    child.close();
    assertTrue(reader.awaitEnd(10_000));
    assertEquals(1, counters.get(AgentCounter.JOINED_LINES));
  }
}
