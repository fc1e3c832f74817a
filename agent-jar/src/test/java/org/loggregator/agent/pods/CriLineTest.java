package org.loggregator.agent.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.loggregator.protocol.LogEnvelopeWriter;

class CriLineTest {

  private final CriLine line = new CriLine();

  private boolean parse(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return line.parse(b, 0, b.length);
  }

  private String message(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    assertTrue(line.parse(b, 0, b.length), text);
    return new String(b, line.messageOffset, line.messageLength, StandardCharsets.UTF_8);
  }

  private static long nanos(String rfc3339) {
    Instant i = Instant.parse(rfc3339);
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  @Test
  void shouldReadStreamTagTimestampAndMessageWhenTheLineIsOneContainerdWrites() {
    assertEquals("hello world", message("2024-05-01T10:00:00.123456789Z stdout F hello world"));
    assertEquals(LogEnvelopeWriter.OUT, line.messageType);
    assertFalse(line.partial);
    assertEquals(nanos("2024-05-01T10:00:00.123456789Z"), line.timestampNanos);

    assertEquals("part", message("2024-05-01T10:00:00.5Z stderr P part"));
    assertEquals(LogEnvelopeWriter.ERR, line.messageType);
    assertTrue(line.partial);
    assertEquals(nanos("2024-05-01T10:00:00.500Z"), line.timestampNanos);
  }

  @Test
  void shouldKeepTheMessageAsItIsWhenItHoldsSpacesTabsOrBytesThatAreNotUtf8() {
    assertEquals(
        "  two  spaces\tand a tab ",
        message("2024-05-01T10:00:00Z stdout F   two  spaces\tand a tab "));
    byte[] b = "2024-05-01T10:00:00Z stdout F xx".getBytes(StandardCharsets.US_ASCII);
    b[b.length - 2] = (byte) 0xC3; // a lead byte without its continuation, then 'x'
    b[b.length - 1] = (byte) 0xFF;
    assertTrue(line.parse(b, 0, b.length));
    assertEquals(2, line.messageLength);
    assertEquals((byte) 0xFF, b[line.messageOffset + 1]);
  }

  @Test
  void shouldReadOffsetsFractionsAndEmptyMessagesWhenTheyAreValid() {
    assertEquals("", message("2024-05-01T10:00:00Z stdout F "));
    assertEquals("", message("2024-05-01T10:00:00Z stdout F"));
    assertEquals("x", message("2024-05-01T12:30:00.000000001+02:30 stdout F x"));
    assertEquals(nanos("2024-05-01T10:00:00.000000001Z"), line.timestampNanos);
    assertEquals("x", message("2024-05-01T08:00:00-02:00 stdout F x"));
    assertEquals(nanos("2024-05-01T10:00:00Z"), line.timestampNanos);
    assertEquals("x", message("2024-02-29t10:00:00z stdout F:extra:tags x"));
    assertFalse(line.partial);
    assertEquals("x", message("2000-02-29T00:00:00Z stdout P:x x"));
    assertTrue(line.partial);
  }

  @Test
  void shouldRefuseLinesThatAreNotCriWhenAnyFieldIsWrong() {
    String[] bad = {
      "",
      "hello",
      "2024-05-01T10:00:00Z",
      "2024-05-01T10:00:00Z stdout",
      "2024-05-01T10:00:00Z stdout ",
      "2024-05-01T10:00:00Z stdin F x",
      "2024-05-01T10:00:00Z stdout X x",
      "2024-05-01T10:00:00Z stdout Fx",
      "2024-05-01T10:00:00Z  stdout F x",
      "2024-05-01 10:00:00Z stdout F x",
      "2024-05-01T10:00:00 stdout F x",
      "2024-05-01T10:00:00.Z stdout F x",
      "2024-05-01T10:00:00.1234567890Z stdout F x",
      "2024-13-01T10:00:00Z stdout F x",
      "2024-00-01T10:00:00Z stdout F x",
      "2024-02-30T10:00:00Z stdout F x",
      "2023-02-29T10:00:00Z stdout F x",
      "1900-02-29T10:00:00Z stdout F x",
      "2024-05-01T24:00:00Z stdout F x",
      "2024-05-01T10:60:00Z stdout F x",
      "2024-05-01T10:00:60Z stdout F x",
      "2024-05-01T10:00:00+2:00 stdout F x",
      "2024-05-01T10:00:00+24:00 stdout F x",
      "1677-12-31T23:59:59Z stdout F x",
      "2262-04-12T00:00:00Z stdout F x",
      "+024-05-01T10:00:00Z stdout F x",
      "２024-05-01T10:00:00Z stdout F x",
    };
    for (String text : bad) {
      assertFalse(parse(text), text);
    }
  }

  @Test
  void shouldNeverThrowWhenGivenRandomBytesOrCutsOfAValidLine() {
    byte[] valid =
        "2024-05-01T10:00:00.123+01:00 stderr P message".getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut < valid.length; cut++) {
      line.parse(valid, 0, cut);
      line.parse(valid, cut, valid.length - cut);
    }
    Random random = new Random(7);
    byte[] b = new byte[64];
    for (int i = 0; i < 20_000; i++) {
      random.nextBytes(b);
      if (i % 2 == 0) {
        System.arraycopy(valid, 0, b, 0, random.nextInt(valid.length));
      }
      line.parse(b, 0, random.nextInt(b.length + 1));
    }
    assertTrue(line.parse(Arrays.copyOf(valid, valid.length), 0, valid.length));
  }

  @Test
  void shouldCountDaysAsJavaTimeDoesWhenConvertingDates() {
    for (LocalDate d = LocalDate.of(1678, 1, 1);
        d.isBefore(LocalDate.of(2262, 1, 1));
        d = d.plusDays(97)) {
      assertEquals(
          d.toEpochDay(),
          CriLine.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth()),
          d.toString());
    }
  }
}
