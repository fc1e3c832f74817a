package org.loggregator.agent.lines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaStackTraceJoinerTest {

  private final RecordedLine.Recorder recorder = new RecordedLine.Recorder();

  private void feed(JavaStackTraceJoiner joiner, String text) {
    LineSplitter splitter = new LineSplitter(200, joiner);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    splitter.feed(bytes, 0, bytes.length, 42);
    splitter.finish();
    joiner.flush();
  }

  @Test
  void shouldJoinAStackTraceIntoOneLineWhenItFollowsItsException() {
    JavaStackTraceJoiner joiner = new JavaStackTraceJoiner(61_440, recorder);
    String trace =
        """
        Exception in thread "main" java.lang.IllegalStateException: outer
        \tat com.example.App.run(App.java:10)
        \tat com.example.App.main(App.java:5)
        Caused by: java.io.IOException: inner
        \tat com.example.Io.read(Io.java:7)
        \t... 2 more
        \tSuppressed: java.lang.RuntimeException: also
        \t\tat com.example.Io.close(Io.java:9)
        """;
    feed(joiner, "before\n" + trace + "after\n");

    assertEquals(List.of("before", trace.strip(), "after"), recorder.texts());
    assertEquals(7, joiner.joinedLines());
  }

  @Test
  void shouldJoinSpaceIndentedFramesAndCommonFramesOmittedWhenLogbackPrintsThem() {
    JavaStackTraceJoiner joiner = new JavaStackTraceJoiner(1000, recorder);
    feed(
        joiner,
        "ERROR boom\njava.lang.Error: x\n    at a.B.c(B.java:1)\n    ... 12 common frames omitted\n");
    assertEquals(
        List.of(
            "ERROR boom",
            "java.lang.Error: x\n    at a.B.c(B.java:1)\n    ... 12 common frames omitted"),
        recorder.texts());
  }

  @Test
  void shouldKeepLinesApartWhenTheyOnlyLookIndented() {
    JavaStackTraceJoiner joiner = new JavaStackTraceJoiner(1000, recorder);
    feed(joiner, "a\n  indented text\natlas\nat column zero\n");
    assertEquals(List.of("a", "  indented text", "atlas", "at column zero"), recorder.texts());
  }

  @Test
  void shouldStartANewMessageWhenJoiningWouldExceedTheMaximum() {
    JavaStackTraceJoiner joiner = new JavaStackTraceJoiner(40, recorder);
    feed(joiner, "java.lang.Error: e\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)\n");
    assertEquals(
        List.of("java.lang.Error: e\n\tat a.B.c(B.java:1)", "\tat a.B.d(B.java:2)"),
        recorder.texts());
    assertTrue(recorder.texts().stream().allMatch(t -> t.length() <= 40));
  }

  @Test
  void shouldHoldTheLastLineUntilFlushedWhenNoFurtherLineArrives() {
    JavaStackTraceJoiner joiner = new JavaStackTraceJoiner(100, recorder);
    byte[] line = "last".getBytes(StandardCharsets.US_ASCII);
    joiner.onLine(line, 0, line.length, 9, 0, true);
    assertTrue(joiner.isHolding());
    assertEquals(List.of(), recorder.texts());
    joiner.flush();
    assertFalse(joiner.isHolding());
    assertEquals(List.of("last"), recorder.texts());
    assertEquals(9, recorder.lines.get(0).timestamp());
  }

  @Test
  void shouldPassPartsOfSplitLinesThroughUnjoinedWhenTheyArrive() {
    JavaStackTraceJoiner joiner = new JavaStackTraceJoiner(10, recorder);
    LineSplitter splitter = new LineSplitter(10, joiner);
    byte[] bytes = "short\n\tat x.Y.z(Y.java:1) long frame\n".getBytes(StandardCharsets.US_ASCII);
    splitter.feed(bytes, 0, bytes.length, 0);
    joiner.flush();
    assertEquals("short", recorder.lines.get(0).text());
    assertTrue(recorder.lines.stream().skip(1).allMatch(l -> l.part() > 0));
  }
}
