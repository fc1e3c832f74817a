package org.loggregator.agent.lines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

  private final RecordedLine.Recorder recorder = new RecordedLine.Recorder();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void feedInChunks(LineSplitter splitter, byte[] bytes, int chunk) {
    for (int i = 0; i < bytes.length; i += chunk) {
      splitter.feed(bytes, i, Math.min(chunk, bytes.length - i), i);
    }
    splitter.finish();
  }

  @Test
  void shouldPassWholeLinesWithoutTerminatorsWhenLinesEndWithNewlineOrCrlf() {
    LineSplitter splitter = new LineSplitter(100, recorder);
    splitter.feed(utf8("one\ntwo\r\nthree\n"), 0, 15, 7);
    assertEquals(List.of("one", "two", "three"), recorder.texts());
    assertTrue(recorder.lines.stream().allMatch(l -> l.part() == 0 && l.lastPart()));
    assertEquals(7, recorder.lines.get(0).timestamp());
    assertEquals(3, splitter.lines());
  }

  @Test
  void shouldJoinBytesOfOneLineWhenItArrivesAcrossManyReads() {
    LineSplitter splitter = new LineSplitter(100, recorder);
    feedInChunks(splitter, utf8("hello world\nsecond line\n"), 3);
    assertEquals(List.of("hello world", "second line"), recorder.texts());
    assertEquals(0, recorder.lines.get(0).timestamp(), "timestamp of the line's first read");
    assertEquals(12, recorder.lines.get(1).timestamp());
  }

  @Test
  void shouldSkipBlankLinesButCountThemWhenReading() {
    LineSplitter splitter = new LineSplitter(100, recorder);
    feedInChunks(splitter, utf8("a\n\n   \n\t\r\nb\n"), 64);
    assertEquals(List.of("a", "b"), recorder.texts());
    assertEquals(5, splitter.lines());
  }

  @Test
  void shouldPassTheLastLineWhenTheStreamEndsWithoutNewline() {
    LineSplitter splitter = new LineSplitter(100, recorder);
    feedInChunks(splitter, utf8("a\nno newline"), 5);
    assertEquals(List.of("a", "no newline"), recorder.texts());
    assertFalse(splitter.hasPartialLine());
  }

  @Test
  void shouldSplitIntoMarkedPartsWhenALineIsLongerThanTheMaximum() {
    LineSplitter splitter = new LineSplitter(10, recorder);
    splitter.feed(utf8("0123456789abcdefghijKLMNO\n"), 0, 26, 1);
    assertEquals(List.of("0123456789", "abcdefghij", "KLMNO"), recorder.texts());
    assertEquals(List.of(1, 2, 3), recorder.lines.stream().map(RecordedLine::part).toList());
    assertEquals(
        List.of(false, false, true), recorder.lines.stream().map(RecordedLine::lastPart).toList());
    assertEquals(1, splitter.splitLines());
  }

  @Test
  void shouldNotEmitAnEmptyLastPartWhenALineIsExactlyAMultipleOfTheMaximum() {
    LineSplitter splitter = new LineSplitter(10, recorder);
    feedInChunks(splitter, utf8("0123456789abcdefghij\nnext\n"), 4);
    assertEquals(List.of("0123456789", "abcdefghij", "next"), recorder.texts());
    assertEquals(List.of(1, 2, 0), recorder.lines.stream().map(RecordedLine::part).toList());
    assertTrue(recorder.lines.get(1).lastPart());
  }

  @Test
  void shouldEmitAPartAsSoonAsItIsFullWhenTheLineNeverEnds() {
    LineSplitter splitter = new LineSplitter(8, recorder);
    byte[] endless = utf8("x".repeat(8 * 1000 + 3));
    for (int i = 0; i < endless.length; i += 5) {
      splitter.feed(endless, i, Math.min(5, endless.length - i), 0);
    }
    assertEquals(1000, recorder.lines.size(), "parts go out while the line is still open");
    assertTrue(splitter.hasPartialLine());
    splitter.finish();
    assertEquals(1001, recorder.lines.size());
    assertEquals("xxx", recorder.lines.get(1000).text());
    assertTrue(recorder.lines.get(1000).lastPart());
  }

  @Test
  void shouldNeverCutAUtf8CharacterWhenSplitting() {
    // 2-, 3- and 4-byte characters at every position around the cut, in whole and split reads.
    String[] chars = {"é", "中", "😀"};
    for (String c : chars) {
      for (int prefix = 0; prefix < 12; prefix++) {
        for (int chunk : new int[] {1, 3, 1000}) {
          RecordedLine.Recorder r = new RecordedLine.Recorder();
          LineSplitter splitter = new LineSplitter(10, r);
          String line = "a".repeat(prefix) + c.repeat(8) + "z";
          byte[] bytes = utf8(line + "\n");
          for (int i = 0; i < bytes.length; i += chunk) {
            splitter.feed(bytes, i, Math.min(chunk, bytes.length - i), 0);
          }
          splitter.finish();
          StringBuilder joined = new StringBuilder();
          for (RecordedLine l : r.lines) {
            assertTrue(l.bytes().length <= 10, "part of " + l.bytes().length + " bytes");
            assertArrayEquals(utf8(l.text()), l.bytes(), "each part is whole UTF-8: " + line);
            joined.append(l.text());
          }
          assertEquals(line, joined.toString());
        }
      }
    }
  }

  @Test
  void shouldReassembleEveryLineWhenFedRandomStreamsInRandomChunks() {
    Random random = new Random(5);
    for (int round = 0; round < 200; round++) {
      int max = 4 + random.nextInt(40);
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      int lines = random.nextInt(30);
      StringBuilder expected = new StringBuilder();
      for (int i = 0; i < lines; i++) {
        String line = "L" + i + "-" + "x".repeat(random.nextInt(3 * max));
        stream.writeBytes(utf8(line + (random.nextBoolean() ? "\n" : "\r\n")));
        expected.append(line).append('|');
      }
      byte[] bytes = stream.toByteArray();
      RecordedLine.Recorder r = new RecordedLine.Recorder();
      LineSplitter splitter = new LineSplitter(max, r);
      int i = 0;
      while (i < bytes.length) {
        int n = Math.min(1 + random.nextInt(2 * max), bytes.length - i);
        splitter.feed(bytes, i, n, 0);
        i += n;
      }
      splitter.finish();
      StringBuilder actual = new StringBuilder();
      for (RecordedLine l : r.lines) {
        assertTrue(l.bytes().length <= max);
        actual.append(l.text());
        if (l.lastPart()) {
          actual.append('|');
        }
      }
      assertEquals(expected.toString(), actual.toString(), "round " + round);
      assertEquals(lines, splitter.lines());
    }
  }
}
