package org.loggregator.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loggregator.protocol.Wire.bytesField;
import static org.loggregator.protocol.Wire.concat;
import static org.loggregator.protocol.Wire.stringField;
import static org.loggregator.protocol.Wire.tag;
import static org.loggregator.protocol.Wire.varint;
import static org.loggregator.protocol.Wire.varintField;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.HttpStartStop;
import org.loggregator.protocol.events.LogMessage;
import org.loggregator.protocol.events.UUID;
import org.loggregator.protocol.events.ValueMetric;

class EnvelopeReaderTest {

  private static final int[] SKIPPABLE_WIRE_TYPES = {0, 1, 2, 5};

  private final EnvelopeReader reader = new EnvelopeReader();
  private final RoutingFields fields = new RoutingFields();

  static List<String> cases() {
    return GoldenVectors.CASES;
  }

  private ReadResult read(byte[] bytes) {
    return reader.read(bytes, 0, bytes.length, fields);
  }

  /** Everything the reader exposes, as text, to compare two reads. */
  private static String summary(RoutingFields f) {
    return String.join(
        "|",
        String.valueOf(f.eventType()),
        String.valueOf(f.timestamp()),
        String.valueOf(f.appId()),
        String.valueOf(f.messageType()),
        String.valueOf(f.logTimestamp()),
        text(f, f.messageOffset(), f.messageLength()),
        text(f, f.sourceTypeOffset(), f.sourceTypeLength()),
        text(f, f.sourceInstanceOffset(), f.sourceInstanceLength()),
        text(f, f.drainUrlsOffset(), f.drainUrlsLength()));
  }

  private static String text(RoutingFields f, int offset, int length) {
    return offset < 0 ? "<absent>" : new String(f.buffer(), offset, length, StandardCharsets.UTF_8);
  }

  private String summaryOf(byte[] bytes) {
    assertEquals(ReadResult.OK, read(bytes));
    return summary(fields);
  }

  /** Protobuf-java as the oracle: parses, has its required fields, and carries its payload. */
  private static boolean protobufAccepts(byte[] bytes) {
    try {
      Envelope envelope = Envelope.parseFrom(bytes);
      return envelope.hasField(GoldenVectors.payloadField(envelope.getEventType()));
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldReadTheSameFieldsWhenEnvelopeSitsInsideLargerBuffer(String name) {
    byte[] bytes = GoldenVectors.envelopeBytes(name);
    String expected = summaryOf(bytes);
    byte[] padded = new byte[bytes.length + 20];
    Arrays.fill(padded, (byte) 0xff);
    System.arraycopy(bytes, 0, padded, 7, bytes.length);
    assertEquals(ReadResult.OK, reader.read(padded, 7, bytes.length, fields));
    assertEquals(expected, summary(fields));
  }

  @Test
  void shouldForgetThePreviousEnvelopeWhenHolderIsReused() {
    byte[] log = GoldenVectors.envelopeBytes("log_out");
    byte[] metric = GoldenVectors.envelopeBytes("value_metric");
    assertEquals(ReadResult.OK, read(log));
    assertTrue(fields.hasAppId());
    assertEquals(ReadResult.OK, read(metric));
    assertFalse(fields.hasAppId());
    assertNull(fields.appId());
    assertEquals(0, fields.messageType());
    assertEquals(0, fields.logTimestamp());
    assertEquals(-1, fields.messageOffset());
    assertEquals(Envelope.EventType.ValueMetric_VALUE, fields.eventType());
  }

  @Test
  void shouldReadZeroTimestampWhenEnvelopeHasNone() {
    Envelope envelope = GoldenVectors.decoded("log_out").toBuilder().clearTimestamp().build();
    assertEquals(ReadResult.OK, read(envelope.toByteArray()));
    assertEquals(0, fields.timestamp());
    assertEquals(1380838166000000000L, fields.logTimestamp());
  }

  @Test
  void shouldReportNoAppIdWhenLogMessageHasNoneOrAnEmptyOne() {
    Envelope envelope = GoldenVectors.decoded("log_out");
    for (LogMessage log :
        List.of(
            envelope.getLogMessage().toBuilder().clearAppId().build(),
            envelope.getLogMessage().toBuilder().setAppId("").build())) {
      assertEquals(
          ReadResult.OK, read(envelope.toBuilder().setLogMessage(log).build().toByteArray()));
      assertFalse(fields.hasAppId());
      assertNull(fields.appId());
      assertEquals(-1, fields.appIdOffset());
    }
  }

  @Test
  void shouldReportNoAppIdWhenHttpStartStopHasNoApplicationId() {
    Envelope envelope = GoldenVectors.decoded("http_start_stop");
    Envelope without =
        envelope.toBuilder()
            .setHttpStartStop(envelope.getHttpStartStop().toBuilder().clearApplicationId())
            .build();
    assertEquals(ReadResult.OK, read(without.toByteArray()));
    assertFalse(fields.hasAppId());
  }

  @Test
  void shouldFindDrainUrlsWhenTheTagIsPresent() {
    Envelope envelope =
        GoldenVectors.decoded("log_err_tags").toBuilder()
            .putTags("drain_urls", "syslog://drain.example.com:514,https://h.example.com/x")
            .putTags("drain_urlsX", "not this one")
            .putTags("drain_url", "nor this one")
            .build();
    assertEquals(ReadResult.OK, read(envelope.toByteArray()));
    assertTrue(fields.hasDrainUrls());
    assertEquals(
        "syslog://drain.example.com:514,https://h.example.com/x",
        text(fields, fields.drainUrlsOffset(), fields.drainUrlsLength()));

    Envelope empty = envelope.toBuilder().putTags("drain_urls", "").build();
    assertEquals(ReadResult.OK, read(empty.toByteArray()));
    assertTrue(fields.hasDrainUrls());
    assertEquals(0, fields.drainUrlsLength());

    assertEquals(ReadResult.OK, read(GoldenVectors.envelopeBytes("log_err_tags")));
    assertFalse(fields.hasDrainUrls());
    assertEquals(-1, fields.drainUrlsOffset());
  }

  @Test
  void shouldTakeTheLastDrainUrlsWhenTheTagRepeats() {
    byte[] bytes =
        concat(
            GoldenVectors.envelopeBytes("log_out"),
            bytesField(17, concat(stringField(1, "drain_urls"), stringField(2, "first"))),
            bytesField(17, concat(stringField(2, "second"), stringField(1, "drain_urls"))));
    assertEquals(ReadResult.OK, read(bytes));
    assertEquals("second", text(fields, fields.drainUrlsOffset(), fields.drainUrlsLength()));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldAgreeWithProtobufWhenEnvelopeIsTruncatedAtEveryLength(String name) {
    byte[] bytes = GoldenVectors.envelopeBytes(name);
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      ReadResult result = reader.read(bytes, 0, length, fields);
      assertEquals(
          protobufAccepts(cut), result == ReadResult.OK, "length " + length + ": " + result);
    }
    assertEquals(ReadResult.TRUNCATED, reader.read(bytes, 0, bytes.length - 1, fields));
    assertEquals(ReadResult.MISSING_REQUIRED, reader.read(bytes, 0, 0, fields));
  }

  @Test
  void shouldReportTruncatedWhenVarintOrLengthRunsPastTheEnd() {
    assertEquals(ReadResult.TRUNCATED, read(new byte[] {0x0a, 0x05, 'a', 'b'}));
    assertEquals(ReadResult.TRUNCATED, read(new byte[] {0x0a, (byte) 0x80}));
    assertEquals(ReadResult.TRUNCATED, read(new byte[] {(byte) 0x80}));
    assertEquals(
        ReadResult.TRUNCATED,
        read(concat(stringField(1, "o"), tag(6, 0), new byte[] {(byte) 0xff})));
    assertEquals(ReadResult.TRUNCATED, read(concat(tag(99, 1), new byte[7])));
    assertEquals(ReadResult.TRUNCATED, read(concat(tag(99, 5), new byte[3])));
  }

  @Test
  void shouldReportTruncatedWhenPayloadFieldRunsPastItsMessage() {
    // A LogMessage of 2 bytes whose app_id claims 5: the bytes after it belong to the envelope.
    byte[] bytes =
        concat(
            stringField(1, "o"),
            varintField(2, 5),
            bytesField(8, new byte[] {0x22, 0x05}),
            stringField(13, "cf"));
    assertEquals(ReadResult.TRUNCATED, read(bytes));
  }

  @Test
  void shouldReportMalformedWhenRangeIsOutsideTheBuffer() {
    byte[] bytes = GoldenVectors.envelopeBytes("log_out");
    assertEquals(ReadResult.MALFORMED, reader.read(null, 0, 0, fields));
    assertEquals(ReadResult.MALFORMED, reader.read(bytes, -1, 3, fields));
    assertEquals(ReadResult.MALFORMED, reader.read(bytes, 0, -1, fields));
    assertEquals(ReadResult.MALFORMED, reader.read(bytes, 1, bytes.length, fields));
    assertEquals(ReadResult.MALFORMED, reader.read(bytes, Integer.MAX_VALUE, 2, fields));
    assertEquals(0, fields.eventType());
  }

  @Test
  void shouldReportMalformedWhenVarintIsLongerThanTenBytes() {
    byte[] eleven = new byte[11];
    Arrays.fill(eleven, (byte) 0x80);
    eleven[10] = 0x01;
    assertEquals(ReadResult.MALFORMED, read(concat(stringField(1, "o"), tag(6, 0), eleven)));
    assertEquals(ReadResult.MALFORMED, read(eleven));
    // Ten bytes is the longest legal varint.
    byte[] ten = concat(GoldenVectors.envelopeBytes("value_metric"), tag(6, 0), varint(-1));
    assertEquals(10, varint(-1).length);
    assertEquals(ReadResult.OK, read(ten));
    assertEquals(-1L, fields.timestamp());
  }

  @Test
  void shouldReportMalformedWhenLengthIsNegative() {
    assertEquals(ReadResult.MALFORMED, read(concat(tag(1, 2), varint(-1), new byte[4])));
    assertEquals(ReadResult.MALFORMED, read(concat(tag(99, 2), varint(1L << 31))));
  }

  @Test
  void shouldReportMalformedWhenFieldNumberIsZero() {
    for (int wireType : SKIPPABLE_WIRE_TYPES) {
      assertEquals(
          ReadResult.MALFORMED,
          read(concat(GoldenVectors.envelopeBytes("log_out"), tag(0, wireType), new byte[8])));
    }
  }

  @Test
  void shouldReportMalformedWhenWireTypeIsAGroupOrInvalid() {
    byte[] bytes = GoldenVectors.envelopeBytes("counter_event");
    Envelope decoded = GoldenVectors.decoded("counter_event");
    for (int wireType : new int[] {3, 4, 6, 7}) {
      assertEquals(
          ReadResult.MALFORMED, read(concat(tag(99, wireType), bytes)), "envelope " + wireType);
      byte[] payload = concat(tag(99, wireType), decoded.getCounterEvent().toByteArray());
      byte[] envelope =
          concat(
              decoded.toBuilder().clearCounterEvent().build().toByteArray(),
              bytesField(10, payload));
      assertEquals(ReadResult.MALFORMED, read(envelope), "payload " + wireType);
      byte[] tagEntry = bytesField(17, concat(tag(99, wireType), stringField(1, "k")));
      assertEquals(ReadResult.MALFORMED, read(concat(bytes, tagEntry)), "tag entry " + wireType);
    }
  }

  @Test
  void shouldReportMalformedWhenKnownEnvelopeFieldHasTheWrongWireType() {
    byte[] valid = GoldenVectors.envelopeBytes("log_out");
    int[][] fieldAndWrongWireType = {
      {1, 0}, {2, 2}, {2, 1}, {6, 5}, {6, 2}, {8, 0}, {13, 1}, {17, 0}
    };
    for (int[] f : fieldAndWrongWireType) {
      byte[] bytes = concat(valid, Wire.field(f[0], f[1]));
      assertEquals(ReadResult.MALFORMED, read(bytes), "field " + f[0] + " wire type " + f[1]);
    }
  }

  @Test
  void shouldReportMalformedWhenKnownPayloadFieldHasTheWrongWireType() {
    Envelope log = GoldenVectors.decoded("log_out");
    byte[] logPayload = concat(log.getLogMessage().toByteArray(), Wire.field(3, 1));
    assertEquals(
        ReadResult.MALFORMED,
        read(
            concat(
                log.toBuilder().clearLogMessage().build().toByteArray(),
                bytesField(8, logPayload))));

    Envelope metric = GoldenVectors.decoded("value_metric");
    byte[] metricPayload = concat(metric.getValueMetric().toByteArray(), Wire.field(2, 0));
    assertEquals(
        ReadResult.MALFORMED,
        read(
            concat(
                metric.toBuilder().clearValueMetric().build().toByteArray(),
                bytesField(9, metricPayload))));

    Envelope http = GoldenVectors.decoded("http_start_stop");
    byte[] uuid = concat(varintField(1, 1), Wire.field(2, 5));
    byte[] httpPayload = concat(http.getHttpStartStop().toByteArray(), bytesField(12, uuid));
    assertEquals(
        ReadResult.MALFORMED,
        read(
            concat(
                http.toBuilder().clearHttpStartStop().build().toByteArray(),
                bytesField(7, httpPayload))));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldSkipUnknownFieldsWhenInsertedAtEnvelopeLevel(String name) {
    byte[] bytes = GoldenVectors.envelopeBytes(name);
    String expected = summaryOf(bytes);
    int afterOrigin = 2 + bytes[1]; // origin is first, with a one-byte length
    byte[] head = Arrays.copyOf(bytes, afterOrigin);
    byte[] tail = Arrays.copyOfRange(bytes, afterOrigin, bytes.length);
    // 3-5 are reserved; 18 and up are beyond the schema; 536870911 is the largest field number.
    for (int field : new int[] {3, 4, 5, 18, 100, 536_870_911}) {
      for (int wireType : SKIPPABLE_WIRE_TYPES) {
        byte[] unknown = Wire.field(field, wireType);
        for (byte[] withUnknown :
            List.of(concat(unknown, bytes), concat(head, unknown, tail), concat(bytes, unknown))) {
          assertTrue(protobufAccepts(withUnknown));
          assertEquals(expected, summaryOf(withUnknown), "field " + field + " wire " + wireType);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldSkipUnknownFieldsWhenInsertedAtPayloadLevel(String name) {
    Envelope envelope = GoldenVectors.decoded(name);
    String expected = summaryOf(GoldenVectors.envelopeBytes(name));
    FieldDescriptor payloadField = GoldenVectors.payloadField(envelope.getEventType());
    byte[] payload = ((Message) envelope.getField(payloadField)).toByteArray();
    byte[] withoutPayload = envelope.toBuilder().clearField(payloadField).build().toByteArray();
    // 11 is HttpStartStop's reserved number; the others are unknown to every payload.
    for (int field : new int[] {11, 16, 100, 536_870_911}) {
      for (int wireType : SKIPPABLE_WIRE_TYPES) {
        byte[] unknown = Wire.field(field, wireType);
        for (byte[] withUnknown :
            List.of(
                concat(unknown, payload),
                concat(payload, unknown),
                concat(unknown, payload, unknown))) {
          byte[] bytes = concat(withoutPayload, bytesField(payloadField.getNumber(), withUnknown));
          assertTrue(protobufAccepts(bytes));
          assertEquals(expected, summaryOf(bytes), "field " + field + " wire " + wireType);
        }
      }
    }
  }

  @Test
  void shouldSkipUnknownFieldsWhenInsertedInUuidsAndTagEntries() {
    UnknownFieldSet unknown =
        UnknownFieldSet.newBuilder()
            .addField(
                99,
                UnknownFieldSet.Field.newBuilder()
                    .addVarint(-1)
                    .addFixed32(7)
                    .addFixed64(8)
                    .addLengthDelimited(ByteString.copyFromUtf8("x"))
                    .build())
            .build();
    Envelope envelope = GoldenVectors.decoded("http_start_stop");
    HttpStartStop http = envelope.getHttpStartStop();
    Envelope withUnknown =
        envelope.toBuilder()
            .setHttpStartStop(
                http.toBuilder()
                    .setRequestId(http.getRequestId().toBuilder().setUnknownFields(unknown))
                    .setApplicationId(
                        http.getApplicationId().toBuilder().setUnknownFields(unknown)))
            .build();
    assertEquals(summaryOf(envelope.toByteArray()), summaryOf(withUnknown.toByteArray()));

    byte[] tagEntry =
        bytesField(
            17,
            concat(
                Wire.field(3, 0),
                stringField(1, "drain_urls"),
                Wire.field(4, 1),
                stringField(2, "syslog://h:1"),
                Wire.field(5, 5)));
    byte[] bytes = concat(GoldenVectors.envelopeBytes("log_out"), tagEntry);
    assertTrue(protobufAccepts(bytes));
    assertEquals(ReadResult.OK, read(bytes));
    assertEquals("syslog://h:1", text(fields, fields.drainUrlsOffset(), fields.drainUrlsLength()));
  }

  @Test
  void shouldReportMissingRequiredWhenOriginOrEventTypeIsAbsent() {
    Envelope envelope = GoldenVectors.decoded("log_out");
    assertEquals(
        ReadResult.MISSING_REQUIRED,
        read(envelope.toBuilder().clearOrigin().buildPartial().toByteArray()));
    assertEquals(
        ReadResult.MISSING_REQUIRED,
        read(envelope.toBuilder().clearEventType().buildPartial().toByteArray()));
    assertEquals(
        ReadResult.MISSING_REQUIRED, read(Envelope.newBuilder().buildPartial().toByteArray()));
    // An empty origin is present.
    assertEquals(ReadResult.OK, read(envelope.toBuilder().setOrigin("").build().toByteArray()));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldReportMissingRequiredWhenAnyRequiredPayloadFieldIsAbsent(String name) {
    Envelope envelope = GoldenVectors.decoded(name);
    FieldDescriptor payloadField = GoldenVectors.payloadField(envelope.getEventType());
    Message payload = (Message) envelope.getField(payloadField);
    int required = 0;
    for (FieldDescriptor field : payload.getDescriptorForType().getFields()) {
      if (!field.isRequired()) {
        continue;
      }
      required++;
      Message partial = payload.toBuilder().clearField(field).buildPartial();
      byte[] bytes =
          envelope.toBuilder().setField(payloadField, partial).buildPartial().toByteArray();
      assertFalse(protobufAccepts(bytes));
      assertEquals(ReadResult.MISSING_REQUIRED, read(bytes), field.getFullName());
    }
    assertTrue(required >= 2);
  }

  @Test
  void shouldReportMissingRequiredWhenAUuidLacksLowOrHigh() {
    Envelope envelope = GoldenVectors.decoded("http_start_stop");
    HttpStartStop http = envelope.getHttpStartStop();
    UUID lowOnly = UUID.newBuilder().setLow(1).buildPartial();
    UUID highOnly = UUID.newBuilder().setHigh(2).buildPartial();
    for (HttpStartStop partial :
        List.of(
            http.toBuilder().setRequestId(lowOnly).buildPartial(),
            http.toBuilder().setRequestId(highOnly).buildPartial(),
            http.toBuilder().setApplicationId(lowOnly).buildPartial(),
            http.toBuilder().setApplicationId(highOnly).buildPartial())) {
      byte[] bytes = envelope.toBuilder().setHttpStartStop(partial).buildPartial().toByteArray();
      assertFalse(protobufAccepts(bytes));
      assertEquals(ReadResult.MISSING_REQUIRED, read(bytes));
    }
  }

  @Test
  void shouldReportMissingRequiredWhenAnEnumFieldHoldsAnUnknownValue() {
    Envelope log = GoldenVectors.decoded("log_out");
    byte[] logPayload =
        concat(
            log.getLogMessage().toBuilder().clearMessageType().buildPartial().toByteArray(),
            varintField(2, 3));
    byte[] bytes =
        concat(log.toBuilder().clearLogMessage().build().toByteArray(), bytesField(8, logPayload));
    assertFalse(protobufAccepts(bytes));
    assertEquals(ReadResult.MISSING_REQUIRED, read(bytes));

    Envelope http = GoldenVectors.decoded("http_start_stop");
    for (int[] fieldAndValue : new int[][] {{4, 3}, {4, 0}, {5, 45}, {5, 0}, {5, -1}}) {
      FieldDescriptor field = HttpStartStop.getDescriptor().findFieldByNumber(fieldAndValue[0]);
      byte[] httpPayload =
          concat(
              http.getHttpStartStop().toBuilder().clearField(field).buildPartial().toByteArray(),
              varintField(fieldAndValue[0], fieldAndValue[1]));
      byte[] httpBytes =
          concat(
              http.toBuilder().clearHttpStartStop().build().toByteArray(),
              bytesField(7, httpPayload));
      assertFalse(protobufAccepts(httpBytes));
      assertEquals(ReadResult.MISSING_REQUIRED, read(httpBytes), Arrays.toString(fieldAndValue));
    }
  }

  @Test
  void shouldKeepTheKnownMessageTypeWhenALaterOneIsUnknown() {
    Envelope log = GoldenVectors.decoded("log_out");
    byte[] logPayload = concat(log.getLogMessage().toByteArray(), varintField(2, 9));
    byte[] bytes =
        concat(log.toBuilder().clearLogMessage().build().toByteArray(), bytesField(8, logPayload));
    assertTrue(protobufAccepts(bytes));
    assertEquals(ReadResult.OK, read(bytes));
    assertEquals(LogMessage.MessageType.OUT_VALUE, fields.messageType());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldReportPayloadMismatchWhenEventTypeNamesAnAbsentPayload(String name) {
    Envelope envelope = GoldenVectors.decoded(name);
    for (Envelope.EventType other : Envelope.EventType.values()) {
      if (other != envelope.getEventType()) {
        byte[] bytes = envelope.toBuilder().setEventType(other).build().toByteArray();
        assertEquals(ReadResult.PAYLOAD_MISMATCH, read(bytes), other.name());
      }
    }
  }

  @Test
  void shouldReportPayloadMismatchWhenEventTypeIsUnknown() {
    Envelope envelope = GoldenVectors.decoded("log_out");
    byte[] withoutType = envelope.toBuilder().clearEventType().buildPartial().toByteArray();
    for (long type : new long[] {0, 1, 2, 3, 10, 99, -1, Integer.MAX_VALUE, 1L << 40}) {
      assertEquals(
          ReadResult.PAYLOAD_MISMATCH,
          read(concat(varintField(2, type), withoutType)),
          "type " + type);
    }
    // As in protobuf, an unknown value does not replace a known one.
    assertEquals(ReadResult.OK, read(concat(envelope.toByteArray(), varintField(2, 99))));
    assertEquals(Envelope.EventType.LogMessage_VALUE, fields.eventType());
  }

  @Test
  void shouldIgnoreOtherPayloadsWhenEventTypeNamesOne() {
    Envelope log = GoldenVectors.decoded("log_out");
    Envelope both =
        log.toBuilder()
            .setValueMetric(GoldenVectors.decoded("value_metric").getValueMetric())
            .build();
    assertEquals(summaryOf(log.toByteArray()), summaryOf(both.toByteArray()));
  }

  @Test
  void shouldMergeThePayloadWhenItOccursMoreThanOnce() throws Exception {
    Envelope envelope = GoldenVectors.decoded("log_err_tags");
    LogMessage log = envelope.getLogMessage();
    LogMessage first = log.toBuilder().clearTimestamp().clearAppId().buildPartial();
    LogMessage second =
        LogMessage.newBuilder().setTimestamp(log.getTimestamp()).setAppId("later").buildPartial();
    byte[] bytes =
        concat(
            envelope.toBuilder().clearLogMessage().build().toByteArray(),
            bytesField(8, first.toByteArray()),
            Wire.field(100, 2),
            bytesField(8, second.toByteArray()),
            stringField(13, "cf"));
    Envelope merged = Envelope.parseFrom(bytes);
    assertEquals("later", merged.getLogMessage().getAppId());
    assertEquals(ReadResult.OK, read(bytes));
    assertEquals("later", fields.appId());
    assertEquals(log.getTimestamp(), fields.logTimestamp());
    assertEquals(LogMessage.MessageType.ERR_VALUE, fields.messageType());
    assertEquals("RTR", text(fields, fields.sourceTypeOffset(), fields.sourceTypeLength()));

    // Fields missing from every occurrence are still missing.
    byte[] incomplete =
        concat(
            envelope.toBuilder().clearLogMessage().build().toByteArray(),
            bytesField(8, first.toByteArray()),
            bytesField(8, LogMessage.newBuilder().setAppId("x").buildPartial().toByteArray()));
    assertEquals(ReadResult.MISSING_REQUIRED, read(incomplete));
  }

  @Test
  void shouldMergeTheApplicationIdWhenHttpStartStopOccursMoreThanOnce() throws Exception {
    Envelope envelope = GoldenVectors.decoded("http_start_stop");
    HttpStartStop http = envelope.getHttpStartStop();
    HttpStartStop first =
        http.toBuilder()
            .setApplicationId(UUID.newBuilder().setLow(7).buildPartial())
            .buildPartial();
    HttpStartStop second =
        HttpStartStop.newBuilder()
            .setApplicationId(UUID.newBuilder().setHigh(9).buildPartial())
            .buildPartial();
    byte[] bytes =
        concat(
            bytesField(7, first.toByteArray()),
            envelope.toBuilder().clearHttpStartStop().build().toByteArray(),
            bytesField(7, second.toByteArray()));
    Envelope merged = Envelope.parseFrom(bytes);
    UUID applicationId = merged.getHttpStartStop().getApplicationId();
    assertEquals(ReadResult.OK, read(bytes));
    assertEquals(AppIds.uuidText(applicationId.getLow(), applicationId.getHigh()), fields.appId());
    assertEquals(AppIds.uuidText(7, 9), fields.appId());
  }

  @Test
  void shouldNeverThrowWhenBytesAreRandom() {
    Random random = new Random(20131003);
    byte[] prefix = concat(stringField(1, "o"), varintField(2, 5));
    for (int i = 0; i < 50_000; i++) {
      byte[] bytes = new byte[random.nextInt(200)];
      random.nextBytes(bytes);
      if (i % 2 == 0) {
        bytes = concat(prefix, bytesField(8 + random.nextInt(2), bytes));
      }
      assertNotNull(read(bytes));
    }
  }

  @Test
  void shouldNeverThrowWhenVectorsAreTruncatedOrFlipped() {
    Random random = new Random(42);
    List<byte[]> vectors = GoldenVectors.CASES.stream().map(GoldenVectors::envelopeBytes).toList();
    int ok = 0;
    for (int i = 0; i < 100_000; i++) {
      byte[] bytes = vectors.get(random.nextInt(vectors.size())).clone();
      int flips = random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        int at = random.nextInt(bytes.length);
        bytes[at] =
            random.nextBoolean()
                ? (byte) random.nextInt(256)
                : (byte) (bytes[at] ^ (1 << random.nextInt(8)));
      }
      int offset = random.nextInt(3) == 0 ? random.nextInt(bytes.length) : 0;
      int length =
          random.nextInt(3) == 0
              ? random.nextInt(bytes.length - offset + 1)
              : bytes.length - offset;
      ReadResult result = reader.read(bytes, offset, length, fields);
      assertNotNull(result);
      if (result == ReadResult.OK) {
        ok++;
        assertNotEquals(0, fields.eventType());
        fields.appId(); // must not throw either
      }
    }
    assertTrue(ok > 0);
  }

  @Test
  void shouldNotAllocateWhenReadingEnvelopes() {
    // An array, not a List: iterating a List allocates an Iterator.
    byte[][] vectors =
        GoldenVectors.CASES.stream().map(GoldenVectors::envelopeBytes).toArray(byte[][]::new);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int warmUp = 0; warmUp < 1_000; warmUp++) {
      for (int v = 0; v < vectors.length; v++) {
        read(vectors[v]);
      }
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    int ok = 0;
    for (int i = 0; i < 10_000; i++) {
      for (int v = 0; v < vectors.length; v++) {
        if (read(vectors[v]) == ReadResult.OK) {
          ok++;
        }
      }
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertEquals(70_000, ok);
    assertTrue(allocated < 4_096, "allocated " + allocated + " bytes for 70,000 reads");
  }

  @Test
  void shouldReadValueMetricWhenValueIsAnyDouble() {
    Envelope envelope = GoldenVectors.decoded("value_metric");
    for (double value : new double[] {Double.NaN, -0.0, Double.MAX_VALUE}) {
      ValueMetric metric = envelope.getValueMetric().toBuilder().setValue(value).build();
      assertEquals(
          ReadResult.OK, read(envelope.toBuilder().setValueMetric(metric).build().toByteArray()));
    }
  }
}
