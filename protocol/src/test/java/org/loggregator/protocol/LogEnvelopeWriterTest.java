package org.loggregator.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

class LogEnvelopeWriterTest {

  private static final byte[] LINE_PART = "line_part".getBytes(StandardCharsets.US_ASCII);

  private static byte[] write(LogEnvelopeWriter writer, int type, long ts, byte[] message) {
    byte[] dst = new byte[writer.encodedLength(ts, message.length)];
    int n = writer.write(dst, 0, type, ts, message, 0, message.length);
    assertEquals(dst.length, n);
    return dst;
  }

  @Test
  void shouldWriteTheGoldenBytesWhenBuiltWithTheFieldsOfLogOut() {
    Envelope golden = GoldenVectors.decoded("log_out");
    LogMessage log = golden.getLogMessage();
    LogEnvelopeWriter writer =
        LogEnvelopeWriter.builder(golden.getOrigin())
            .appId(log.getAppId())
            .sourceType(log.getSourceType())
            .sourceInstance(log.getSourceInstance())
            .deployment(golden.getDeployment())
            .job(golden.getJob())
            .index(golden.getIndex())
            .ip(golden.getIp())
            .build();

    byte[] bytes =
        write(writer, LogEnvelopeWriter.OUT, log.getTimestamp(), log.getMessage().toByteArray());

    assertArrayEquals(GoldenVectors.envelopeBytes("log_out"), bytes);
  }

  @Test
  void shouldDecodeToTheGoldenEnvelopeWhenBuiltWithTheFieldsOfLogErrTags() throws Exception {
    Envelope golden = GoldenVectors.decoded("log_err_tags");
    LogMessage log = golden.getLogMessage();
    LogEnvelopeWriter.Builder builder =
        LogEnvelopeWriter.builder(golden.getOrigin())
            .appId(log.getAppId())
            .sourceType(log.getSourceType())
            .sourceInstance(log.getSourceInstance());
    golden.getTagsMap().forEach(builder::tag);

    byte[] bytes =
        write(
            builder.build(),
            LogEnvelopeWriter.ERR,
            log.getTimestamp(),
            log.getMessage().toByteArray());

    assertEquals(golden, Envelope.parseFrom(bytes));
    assertArrayEquals(golden.toByteArray(), bytes, "same tag order, same bytes");
  }

  @Test
  void shouldMatchProtobufJavaByteForByteWhenFieldsVary() {
    Random random = new Random(11);
    int[] lengths = {0, 1, 127, 128, 300, 16_383, 16_384, 61_440, 65_000};
    long[] timestamps = {0, 1, 127, 128, 1_380_838_166_123_456_789L, Long.MAX_VALUE, -1};
    for (int round = 0; round < 300; round++) {
      String appId = random.nextBoolean() ? null : randomText(random, random.nextInt(40));
      String sourceType = random.nextBoolean() ? null : randomText(random, 3);
      String instance = random.nextBoolean() ? null : Integer.toString(random.nextInt(300));
      String ip = random.nextBoolean() ? null : "10.0.0." + random.nextInt(255);
      String drains = random.nextBoolean() ? null : randomText(random, random.nextInt(200));
      String origin = randomText(random, 1 + random.nextInt(20));
      LogEnvelopeWriter.Builder builder =
          LogEnvelopeWriter.builder(origin)
              .appId(appId)
              .sourceType(sourceType)
              .sourceInstance(instance)
              .ip(ip);
      Envelope.Builder expected =
          Envelope.newBuilder().setOrigin(origin).setEventType(Envelope.EventType.LogMessage);
      if (drains != null) {
        builder.tag("drain_urls", drains);
        expected.putTags("drain_urls", drains);
      }
      LogEnvelopeWriter writer = builder.build();
      int type = random.nextBoolean() ? LogEnvelopeWriter.OUT : LogEnvelopeWriter.ERR;
      long ts = timestamps[random.nextInt(timestamps.length)];
      byte[] message = new byte[lengths[random.nextInt(lengths.length)]];
      random.nextBytes(message);
      boolean part = random.nextBoolean();
      String partValue = Integer.toString(1 + random.nextInt(30));

      LogMessage.Builder log =
          LogMessage.newBuilder()
              .setMessage(ByteString.copyFrom(message))
              .setMessageType(LogMessage.MessageType.forNumber(type))
              .setTimestamp(ts);
      if (appId != null) {
        log.setAppId(appId);
      }
      if (sourceType != null) {
        log.setSourceType(sourceType);
      }
      if (instance != null) {
        log.setSourceInstance(instance);
      }
      expected.setTimestamp(ts).setLogMessage(log);
      if (ip != null) {
        expected.setIp(ip);
      }
      if (part) {
        expected.putTags("line_part", partValue);
      }

      int offset = random.nextInt(5);
      byte[] valueBytes = ("x" + partValue).getBytes(StandardCharsets.US_ASCII);
      int length =
          part
              ? writer.encodedLength(ts, message.length, LINE_PART.length, partValue.length())
              : writer.encodedLength(ts, message.length);
      byte[] dst = new byte[offset + length + 3];
      int written = writer.write(dst, offset, type, ts, message, 0, message.length);
      if (part) {
        written +=
            LogEnvelopeWriter.appendTag(
                dst, offset + written, LINE_PART, valueBytes, 1, partValue.length());
      }

      assertEquals(length, written);
      assertArrayEquals(
          expected.build().toByteArray(),
          Arrays.copyOfRange(dst, offset, offset + written),
          "round " + round);
      assertEquals(0, dst[dst.length - 1] | dst[dst.length - 2] | dst[dst.length - 3]);
    }
  }

  @Test
  void shouldRefuseWhenMessageTypeIsNeitherOutNorErr() {
    LogEnvelopeWriter writer = LogEnvelopeWriter.builder("o").build();
    assertThrows(
        IllegalArgumentException.class,
        () -> writer.write(new byte[100], 0, 3, 1, new byte[0], 0, 0));
  }

  @Test
  void shouldThrowWhenDestinationIsTooSmall() {
    LogEnvelopeWriter writer = LogEnvelopeWriter.builder("origin").appId("app").build();
    byte[] message = new byte[10];
    byte[] dst = new byte[writer.encodedLength(5, message.length) - 1];
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> writer.write(dst, 0, LogEnvelopeWriter.OUT, 5, message, 0, message.length));
  }

  @Test
  void shouldThrowWhenTheDestinationHasNoRoomForTheExtraTag() {
    LogEnvelopeWriter writer = LogEnvelopeWriter.builder("origin").appId("app").build();
    byte[] message = new byte[10];
    byte[] dst = new byte[writer.encodedLength(5, message.length, LINE_PART.length, 1) - 1];
    int n = writer.write(dst, 0, LogEnvelopeWriter.OUT, 5, message, 0, message.length);

    assertThrows(
        IndexOutOfBoundsException.class,
        () -> LogEnvelopeWriter.appendTag(dst, n, LINE_PART, new byte[] {'1'}, 0, 1));
  }

  @Test
  void shouldNotAllocateWhenWriting() {
    LogEnvelopeWriter writer =
        LogEnvelopeWriter.builder("agent")
            .appId("6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab")
            .sourceType("APP")
            .sourceInstance("0")
            .tag("drain_urls", "syslog://example.org:514")
            .build();
    byte[] message =
        "a typical log line of an application, about eighty bytes long, ok"
            .getBytes(StandardCharsets.US_ASCII);
    byte[] value = {'3'};
    byte[] dst = new byte[1024];
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) {
      writer.write(dst, 0, LogEnvelopeWriter.OUT, i, message, 0, message.length);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    long sum = 0;
    for (int i = 0; i < 20_000; i++) {
      sum += writer.write(dst, 0, LogEnvelopeWriter.OUT, i, message, 0, message.length);
      int n = writer.write(dst, 0, LogEnvelopeWriter.ERR, i, message, 0, message.length);
      sum += n + LogEnvelopeWriter.appendTag(dst, n, LINE_PART, value, 0, 1);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(sum > 0);
    assertTrue(allocated < 4_096, "allocated " + allocated + " bytes for 40,000 envelopes");
  }

  private static String randomText(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      s.append(kind < 8 ? (char) ('a' + random.nextInt(26)) : kind == 8 ? 'é' : '\u4e2d');
    }
    return s.toString();
  }
}
