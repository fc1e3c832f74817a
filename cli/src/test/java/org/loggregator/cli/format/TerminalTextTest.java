package org.loggregator.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.loggregator.protocol.TestEnvelopes;
import org.loggregator.protocol.events.LogMessage;

class TerminalTextTest {

  private static String utf8(byte... bytes) {
    StringBuilder out = new StringBuilder();
    TerminalText.appendUtf8(bytes, 0, bytes.length, out);
    return out.toString();
  }

  private static String utf8(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return utf8(bytes);
  }

  /** No character a terminal acts on: C0 but tab, DEL, C1, separators, bidi marks. */
  private static void assertInert(String printed) {
    for (int i = 0; i < printed.length(); i++) {
      char c = printed.charAt(i);
      assertFalse(
          (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F) || TerminalText.mustEscape(c),
          "printed U+" + Integer.toHexString(c) + " in " + printed);
    }
  }

  /** The 65 C0 and C1 code points and DEL, but tab: U+0000–U+001F, U+007F–U+009F. */
  static IntStream controls() {
    return IntStream.concat(IntStream.rangeClosed(0x00, 0x1F), IntStream.rangeClosed(0x7F, 0x9F))
        .filter(c -> c != '\t');
  }

  @ParameterizedTest
  @MethodSource("controls")
  void shouldEscapeEveryC0AndC1ControlButTabWhenItIsInALine(int c) {
    String line = "a" + (char) c + "b";

    String escaped = utf8(line);

    String expected = c < 0x80 ? String.format("a\\x%02xb", c) : String.format("a\\u%04xb", c);
    assertEquals(expected, escaped);
    assertEquals(expected, TerminalText.escape(line), "the same for text already decoded");
    assertInert(escaped);
  }

  @Test
  void shouldCountSixtyFiveControlCodePointsOfWhichTabIsKept() {
    assertEquals(64, controls().count());
    assertEquals("a\tb", utf8("a\tb"));
  }

  static Stream<Arguments> sequences() {
    return Stream.of(
        Arguments.of("\u001b]0;owned\u0007", "\\x1b]0;owned\\x07"), // OSC: window title
        Arguments.of("\u001b]2;owned\u001b\\", "\\x1b]2;owned\\x1b\\"), // OSC ended by ST
        Arguments.of("\u001b[2J\u001b[H", "\\x1b[2J\\x1b[H"), // CSI: clear, cursor home
        Arguments.of("\u001b[1A\u001b[2K", "\\x1b[1A\\x1b[2K"), // cursor up, erase line
        Arguments.of("\u009b31m", "\\u009b31m"), // 8-bit CSI
        Arguments.of("\u001bP+q544e\u001b\\", "\\x1bP+q544e\\x1b\\"), // DCS: terminal query
        Arguments.of("ok\rforged", "ok\\x0dforged"), // carriage return overwrites
        Arguments.of("x\by", "x\\x08y"),
        Arguments.of("\u202eevil\u202c", "\\u202eevil\\u202c"), // right-to-left override
        Arguments.of("\u2066isolate\u2069", "\\u2066isolate\\u2069"),
        Arguments.of("one\u2028two", "one\\u2028two"));
  }

  @ParameterizedTest
  @MethodSource("sequences")
  void shouldShowEscapeSequencesAsTextWhenALineCarriesThem(String line, String expected) {
    String escaped = utf8(line);

    assertEquals(expected, escaped);
    assertInert(escaped);
  }

  @Test
  void shouldShowEachByteOfInvalidUtf8AsHexWhenTheMessageIsNotUtf8() {
    assertEquals("a\\xffb", utf8((byte) 'a', (byte) 0xFF, (byte) 'b'));
    assertEquals("\\xc0\\xaf", utf8((byte) 0xC0, (byte) 0xAF)); // overlong '/'
    assertEquals("\\xed\\xa0\\x80", utf8((byte) 0xED, (byte) 0xA0, (byte) 0x80)); // surrogate
    assertEquals("x\\xe2\\x82", utf8((byte) 'x', (byte) 0xE2, (byte) 0x82)); // cut short
    assertEquals(
        "\\xc2\\x1b[2J", utf8((byte) 0xC2, (byte) 0x1B, (byte) '[', (byte) '2', (byte) 'J'));
  }

  @Test
  void shouldKeepPrintableTextOfAnyScriptAsItIs() {
    String text = "naïve café 日本語 emoji 😀 tab\there \\x1b stays text";

    assertEquals(text, utf8(text));
  }

  @Test
  void shouldLeaveNoControlOnAPrintedLineWhenEveryFieldIsHostile() {
    LogMessage log =
        TestEnvelopes.logMessage("app", "\u001b]0;title\u0007\u001b[2Jcleared", 1)
            .setSourceType("A\u001b[31mPP")
            .setSourceInstance("0\u009b2J")
            .setMessageType(LogMessage.MessageType.ERR)
            .build();
    for (OutputFormat format : new OutputFormat[] {OutputFormat.SEED, OutputFormat.MODERN}) {
      String printed =
          new LogLineFormatter(format, ZoneId.of("UTC"), "my\u001bapp", false).format(log);

      assertInert(printed.substring(0, printed.length() - 1)); // but its newline
      assertTrue(printed.contains("\\x1b]0;title\\x07\\x1b[2Jcleared"), printed);
      assertTrue(printed.contains("\\u009b2J"), printed);
    }
    String json = new LogLineFormatter(OutputFormat.JSON, ZoneId.of("UTC"), "app").format(log);
    assertTrue(json.contains("\\u001b]0;title\\u0007\\u001b[2Jcleared"), json);
    assertTrue(json.contains("\\u009b2J"), json);
    assertInert(json.substring(0, json.length() - 1));
  }
}
