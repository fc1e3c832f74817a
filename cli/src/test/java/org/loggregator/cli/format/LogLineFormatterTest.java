package org.loggregator.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.loggregator.cli.Vectors;
import org.loggregator.cli.client.LogMessageDecoder;
import org.loggregator.protocol.TestEnvelopes;
import org.loggregator.protocol.events.LogMessage;

class LogLineFormatterTest {
  private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");
  private static final String OUT_LINE =
      "This message is on stdout at 2013-10-03 22:09:26 +0000 for private-app instance 0";
  private static final String ERR_LINE =
      "204.15.2.45, 10.10.2.148 - - [03/Oct/2013 22:09:26] \"GET / HTTP/1.1\" 200 81 0.0010";

  private static LogMessage vector(String name) {
    return LogMessageDecoder.decode(Vectors.envelope(name));
  }

  private static String format(OutputFormat format, LogMessage log) {
    return new LogLineFormatter(format, LOS_ANGELES, "private-app").format(log);
  }

  @Test
  void shouldPrintTheSeedFormatWhenTheLogIsOnStdout() {
    assertEquals(
        "Oct 3 15:09:26 private-app App/0 " + OUT_LINE + "\n",
        format(OutputFormat.SEED, vector("log_out")));
  }

  @Test
  void shouldMarkStderrInTheSeedFormatWhenTheLogIsOnStderr() {
    assertEquals(
        "Oct 3 15:09:26 private-app RTR/1 STDERR " + ERR_LINE + "\n",
        format(OutputFormat.SEED, vector("log_err_tags")));
  }

  @Test
  void shouldPrintTheModernFormatWithHundredthsAndOffsetWhenAsked() {
    assertEquals(
        "2013-10-03T15:09:26.00-0700 [APP/0] OUT " + OUT_LINE + "\n",
        format(OutputFormat.MODERN, vector("log_out")));
    assertEquals(
        "2013-10-03T15:09:26.12-0700 [RTR/1] ERR " + ERR_LINE + "\n",
        format(OutputFormat.MODERN, vector("log_err_tags")));
  }

  @Test
  void shouldPrintOneJsonObjectPerLineWhenAsked() {
    assertEquals(
        "{\"timestamp\":\"2013-10-03T22:09:26.000000000Z\","
            + "\"app_id\":\"6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab\","
            + "\"source_type\":\"App\",\"source_instance\":\"0\",\"message_type\":\"OUT\","
            + "\"message\":\""
            + OUT_LINE
            + "\"}\n",
        format(OutputFormat.JSON, vector("log_out")));
    assertEquals(
        "{\"timestamp\":\"2013-10-03T22:09:26.123456789Z\","
            + "\"app_id\":\"6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab\","
            + "\"source_type\":\"RTR\",\"source_instance\":\"1\",\"message_type\":\"ERR\","
            + "\"message\":\""
            + ERR_LINE.replace("\"", "\\\"")
            + "\"}\n",
        format(OutputFormat.JSON, vector("log_err_tags")));
  }

  @Test
  void shouldUseTheGivenZoneWhenFormattingTimes() {
    LogLineFormatter utc = new LogLineFormatter(OutputFormat.SEED, ZoneId.of("UTC"), "app");
    LogLineFormatter paris =
        new LogLineFormatter(OutputFormat.MODERN, ZoneId.of("Europe/Paris"), "app");

    assertEquals("Oct 3 22:09:26 app App/0 " + OUT_LINE + "\n", utc.format(vector("log_out")));
    assertEquals(
        "2013-10-04T00:09:26.00+0200 [APP/0] OUT " + OUT_LINE + "\n",
        paris.format(vector("log_out")));
  }

  private static LogMessage log(String text, LogMessage.MessageType type) {
    return TestEnvelopes.logMessage(null, text, TestEnvelopes.TIMESTAMP)
        .setMessageType(type)
        .setSourceType("STG")
        .build();
  }

  @Test
  void shouldPrintOneLinePerLineWhenAMessageHoldsSeveralLines() {
    LogMessage log = log("first\nsecond\r\nthird\n", LogMessage.MessageType.ERR);

    assertEquals(
        "Oct 3 15:09:26 private-app STG/0 STDERR first\n"
            + "Oct 3 15:09:26 private-app STG/0 STDERR second\n"
            + "Oct 3 15:09:26 private-app STG/0 STDERR third\n",
        format(OutputFormat.SEED, log));
  }

  @Test
  void shouldKeepEmptyLinesButDropOneTrailingNewlineWhenSplitting() {
    assertEquals(
        "2013-10-03T15:09:26.00-0700 [STG/0] OUT a\n"
            + "2013-10-03T15:09:26.00-0700 [STG/0] OUT \n"
            + "2013-10-03T15:09:26.00-0700 [STG/0] OUT \n",
        format(OutputFormat.MODERN, log("a\n\n\n", LogMessage.MessageType.OUT)));
    assertEquals(
        "2013-10-03T15:09:26.00-0700 [STG/0] OUT \n",
        format(OutputFormat.MODERN, log("", LogMessage.MessageType.OUT)));
  }

  @Test
  void shouldWriteOneJsonObjectPerLineAndTheAppLabelWhenTheMessageHasNoAppId() {
    String json =
        format(OutputFormat.JSON, log("one\ttab\ntwo \u0001", LogMessage.MessageType.OUT));

    assertEquals(
        "{\"timestamp\":\"2013-10-03T22:09:26.000000000Z\",\"app_id\":\"private-app\","
            + "\"source_type\":\"STG\",\"source_instance\":\"0\",\"message_type\":\"OUT\","
            + "\"message\":\"one\\ttab\"}\n"
            + "{\"timestamp\":\"2013-10-03T22:09:26.000000000Z\",\"app_id\":\"private-app\","
            + "\"source_type\":\"STG\",\"source_instance\":\"0\",\"message_type\":\"OUT\","
            + "\"message\":\"two \\u0001\"}\n",
        json);
  }

  @Test
  void shouldPrintTheDayWithoutLeadingZeroAndTwoDigitDaysWhole() {
    LogMessage october3 = log("x", LogMessage.MessageType.OUT);
    LogMessage december25 =
        october3.toBuilder().setTimestamp(1_703_505_600_000_000_000L).build(); // 2023-12-25 12:00Z

    assertEquals(
        "Oct 3 15:09:26 a STG/0 x\n",
        new LogLineFormatter(OutputFormat.SEED, LOS_ANGELES, "a").format(october3));
    assertEquals(
        "Dec 25 04:00:00 a STG/0 x\n",
        new LogLineFormatter(OutputFormat.SEED, LOS_ANGELES, "a").format(december25));
  }

  @Test
  void shouldColourErrLinesRedAndNoticesBoldYellowWhenColourIsOn() {
    LogLineFormatter coloured = new LogLineFormatter(OutputFormat.MODERN, LOS_ANGELES, "a", true);
    LogMessage notice =
        log("Log message output too high.", LogMessage.MessageType.ERR).toBuilder()
            .setSourceType("LGR")
            .build();

    assertEquals(
        "\u001b[31m2013-10-03T15:09:26.00-0700 [STG/0] ERR one\u001b[0m\n"
            + "\u001b[31m2013-10-03T15:09:26.00-0700 [STG/0] ERR two\u001b[0m\n",
        coloured.format(log("one\ntwo", LogMessage.MessageType.ERR)));
    assertEquals(
        "2013-10-03T15:09:26.00-0700 [STG/0] OUT fine\n",
        coloured.format(log("fine", LogMessage.MessageType.OUT)));
    assertEquals(
        "\u001b[1;33m2013-10-03T15:09:26.00-0700 [LGR/0] ERR Log message output too high."
            + "\u001b[0m\n",
        coloured.format(notice));
    assertEquals(
        "\u001b[31mOct 3 15:09:26 a STG/0 STDERR \\x1b[2J\u001b[0m\n",
        new LogLineFormatter(OutputFormat.SEED, LOS_ANGELES, "a", true)
            .format(log("\u001b[2J", LogMessage.MessageType.ERR)),
        "the line's own escape is shown, only the colour is sent");
  }

  @Test
  void shouldNeverColourJsonWhenColourIsOn() {
    assertEquals(
        format(OutputFormat.JSON, log("x", LogMessage.MessageType.ERR)),
        new LogLineFormatter(OutputFormat.JSON, LOS_ANGELES, "private-app", true)
            .format(log("x", LogMessage.MessageType.ERR)));
  }
}
