package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.loggregator.protocol.TestEnvelopes;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

class SyslogFormatterTest {
  private static final String APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";

  /** The example of docs/PROTOCOL.md, Syslog drains, byte for byte. */
  private static final String EXAMPLE_FRAME =
      "177 <14>1 2013-10-03T22:09:26.000000Z loggregator 6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab"
          + " [APP/0] - - This message is on stdout at 2013-10-03 22:09:26 +0000 for private-app"
          + " instance 0\n";

  private final SyslogFormatter formatter = new SyslogFormatter("loggregator");
  private final BatchBuffer out = new BatchBuffer(64);

  static byte[] vector(String name) {
    try (InputStream in = SyslogFormatterTest.class.getResourceAsStream("/vectors/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] log(
      String appId, byte[] message, LogMessage.MessageType type, long nanos, String src, String i) {
    Envelope.Builder envelope = TestEnvelopes.log(appId, "", nanos);
    LogMessage.Builder log =
        envelope
            .getLogMessageBuilder()
            .setMessage(ByteString.copyFrom(message))
            .setMessageType(type)
            .clearSourceType()
            .clearSourceInstance();
    if (src != null) {
      log.setSourceType(src);
    }
    if (i != null) {
      log.setSourceInstance(i);
    }
    return TestEnvelopes.bytes(envelope);
  }

  static byte[] log(String text) {
    return log(
        APP,
        text.getBytes(StandardCharsets.UTF_8),
        LogMessage.MessageType.OUT,
        TestEnvelopes.TIMESTAMP,
        "APP",
        "0");
  }

  private String format(byte[] envelope) {
    out.clear();
    assertTrue(formatter.append(envelope, 0, envelope.length, out));
    return new String(out.array(), 0, out.length(), StandardCharsets.UTF_8);
  }

  /** The part after the octet count, checking that the count is its length in bytes. */
  private String frameBody(byte[] envelope) {
    String frame = format(envelope);
    int space = frame.indexOf(' ');
    int length = Integer.parseInt(frame.substring(0, space));
    assertEquals(out.length() - space - 1, length, "octet count of " + frame);
    return frame.substring(space + 1);
  }

  private static String messageOf(String body) {
    return body.substring(body.indexOf("] - - ") + 6);
  }

  @Test
  void shouldWriteTheProtocolsExampleFrameExactlyWhenGivenTheGoldenEnvelope() {
    byte[] envelope = vector("log_out.envelope.bin");

    assertEquals(EXAMPLE_FRAME, format(envelope));
    assertEquals(1, out.frames());
  }

  @Test
  void shouldUsePri11AndTheUpperCasedSourceTypeWhenTheLogIsStderr() {
    String body = frameBody(vector("log_err_tags.envelope.bin"));

    assertTrue(
        body.startsWith("<11>1 2013-10-03T22:09:26.123456Z loggregator " + APP + " [RTR/1] - - "),
        body);
  }

  @Test
  void shouldUpperCaseTheSourceTypeWhenItIsMixedCase() {
    String body =
        frameBody(
            log(
                APP,
                "x".getBytes(StandardCharsets.UTF_8),
                LogMessage.MessageType.OUT,
                0,
                "App",
                "3"));

    assertEquals("<14>1 1970-01-01T00:00:00.000000Z loggregator " + APP + " [APP/3] - - x\n", body);
  }

  @Test
  void shouldWriteTheTimestampInUtcWithMicrosecondsWhenTheDateIsALeapDay() {
    long nanos =
        Instant.parse("2024-02-29T23:59:58.987654Z").getEpochSecond() * 1_000_000_000L
            + 987_654_321L;
    String body =
        frameBody(log(APP, new byte[] {'x'}, LogMessage.MessageType.OUT, nanos, "APP", "0"));

    assertTrue(body.startsWith("<14>1 2024-02-29T23:59:58.987654Z "), body);
  }

  @Test
  void shouldAgreeWithJavaTimeWhenFormattingManyTimestamps() {
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 2000; i++) {
      long nanos = Math.floorMod(random.nextLong(), 9_000_000_000_000_000_000L);
      String body =
          frameBody(log(APP, new byte[] {'x'}, LogMessage.MessageType.OUT, nanos, "APP", "0"));
      Instant instant = Instant.ofEpochSecond(0, nanos);
      String expected =
          java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
              .withZone(java.time.ZoneOffset.UTC)
              .format(instant);
      assertEquals(expected, body.substring(6, 6 + 27), "for " + nanos);
    }
  }

  @Test
  void shouldRemoveNulBytesAndKeepOneTrailingNewlineWhenTheMessageHasThem() {
    byte[] message = "a\0b\0\nc\n\n\0".getBytes(StandardCharsets.UTF_8);

    String body = frameBody(log(APP, message, LogMessage.MessageType.OUT, 0, "APP", "0"));

    assertEquals("ab\nc\n", messageOf(body));
  }

  @Test
  void shouldAddOneNewlineWhenTheMessageHasNone() {
    assertEquals("plain\n", messageOf(frameBody(log("plain"))));
    assertEquals("kept\n", messageOf(frameBody(log("kept\n"))));
    assertEquals("\n", messageOf(frameBody(log(""))));
  }

  @Test
  void shouldCountOctetsNotCharactersWhenTheMessageIsUtf8() {
    String body = frameBody(log("grüße ✓"));

    assertEquals("grüße ✓\n", messageOf(body));
  }

  @Test
  void shouldKeepHeaderFieldsPrintableAndCutTheAppNameWhenTheyAreNot() {
    String longApp = "app with spaces-" + "x".repeat(60);
    String body =
        frameBody(log(longApp, new byte[] {'m'}, LogMessage.MessageType.OUT, 0, "a p", "é"));

    String[] fields = body.split(" ");
    assertEquals(48, fields[3].length(), body);
    assertTrue(fields[3].startsWith("app_with_spaces-xx"), body);
    assertEquals("[A_P/__]", fields[4], body);
  }

  @Test
  void shouldWriteEmptyProcIdPartsWhenSourceTypeAndInstanceAreAbsent() {
    String body = frameBody(log(APP, new byte[] {'m'}, LogMessage.MessageType.ERR, 0, null, null));

    assertTrue(
        body.startsWith("<11>1 1970-01-01T00:00:00.000000Z loggregator " + APP + " [/] - - "),
        body);
  }

  @Test
  void shouldAppendFramesOneAfterAnotherWhenBatching() {
    format(log("one"));
    byte[] second = log("two");
    assertTrue(formatter.append(second, 0, second.length, out));

    String batch = new String(out.array(), 0, out.length(), StandardCharsets.UTF_8);
    assertEquals(2, out.frames());
    assertTrue(batch.contains("- - one\n"), batch);
    assertTrue(batch.endsWith("- - two\n"), batch);
  }

  @Test
  void shouldAppendNothingWhenTheEnvelopeIsNotALogMessage() {
    byte[] metric = TestEnvelopes.bytes(TestEnvelopes.valueMetric("n", 1, "u").setOrigin("o"));

    assertFalse(formatter.append(metric, 0, metric.length, out));
    assertFalse(formatter.append(new byte[] {1, 2, 3}, 0, 3, out));
    assertEquals(0, out.length());
  }

  @Test
  void shouldUseTheConfiguredHostnameWhenOneIsGiven() {
    SyslogFormatter custom = new SyslogFormatter("logs.example.com");
    byte[] envelope = log("x");
    custom.append(envelope, 0, envelope.length, out);

    assertTrue(
        new String(out.array(), 0, out.length(), StandardCharsets.UTF_8)
            .contains(" logs.example.com " + APP + " "));
  }

  @Test
  void shouldRefuseAHostnameWhenItHasSpacesOrIsEmpty() {
    assertThrows(IllegalArgumentException.class, () -> new SyslogFormatter("two words"));
    assertThrows(IllegalArgumentException.class, () -> new SyslogFormatter(""));
    assertFalse(SyslogFormatter.isValidHostname("x".repeat(256)));
  }
}
