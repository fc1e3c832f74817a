package org.loggregator.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loggregator.protocol.Wire.bytesField;
import static org.loggregator.protocol.Wire.concat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.loggregator.protocol.events.Envelope;

class TransitTrailerTest {

  private final EnvelopeReader reader = new EnvelopeReader();
  private final RoutingFields fields = new RoutingFields();

  private static byte[] envelope() {
    return TestEnvelopes.bytes(TestEnvelopes.log("app-1", "hello"));
  }

  private static byte[] trailer(long epoch, int sequence, String host) {
    byte[] out = new byte[TransitTrailer.MAX_LENGTH];
    int n = TransitTrailer.write(out, 0, epoch, sequence, TransitTrailer.hostBytes(host));
    return Arrays.copyOf(out, n);
  }

  private ReadResult read(byte[] bytes) {
    return reader.read(bytes, 0, bytes.length, fields);
  }

  @Test
  void shouldWriteTheGoldenBytesWhenGivenEpochSequenceAndHost() {
    assertEquals(
        "c23e" + "0f" + "01" + "0102030405060708" + "fffffffe" + "6831",
        HexFormat.of().formatHex(trailer(0x0102030405060708L, -2, "h1")));
  }

  @Test
  void shouldReadTrailerAndReportWhereItStartsWhenItIsTheLastField() {
    byte[] plain = envelope();
    byte[] withTrailer = concat(plain, trailer(-5L, 0xFFFF_FFFF, "host-a"));
    assertEquals(ReadResult.OK, read(withTrailer));
    assertTrue(fields.hasTransit());
    assertEquals(plain.length, fields.transitStart());
    assertEquals(-5L, fields.transitEpoch());
    assertEquals(0xFFFF_FFFF, fields.transitSequence());
    assertEquals(
        "host-a",
        new String(
            withTrailer,
            fields.transitHostOffset(),
            fields.transitHostLength(),
            StandardCharsets.UTF_8));
    assertEquals("app-1", fields.appId());
  }

  @Test
  void shouldLeaveEnvelopeUntrackedWhenItHasNoTrailer() {
    assertEquals(ReadResult.OK, read(envelope()));
    assertFalse(fields.hasTransit());
    assertEquals(-1, fields.transitStart());
  }

  @Test
  void shouldBeKeptAsAnUnknownFieldByProtobufAndCutOffExactly() throws Exception {
    byte[] plain = envelope();
    byte[] withTrailer = concat(plain, trailer(7L, 42, "h"));
    Envelope parsed = Envelope.parseFrom(withTrailer);
    assertTrue(parsed.getUnknownFields().hasField(TransitTrailer.FIELD));
    assertEquals(
        Envelope.parseFrom(plain),
        parsed.toBuilder()
            .setUnknownFields(com.google.protobuf.UnknownFieldSet.getDefaultInstance())
            .build());
    assertEquals(ReadResult.OK, read(withTrailer));
    assertArrayEquals(plain, Arrays.copyOf(withTrailer, fields.transitStart()));
  }

  @Test
  void shouldReportMalformedWhenTrailerIsNotTheLastField() {
    byte[] bytes = concat(trailer(7L, 42, "h"), envelope());
    assertEquals(ReadResult.MALFORMED, read(bytes));
    byte[] twice = concat(envelope(), trailer(7L, 42, "h"), trailer(7L, 43, "h"));
    assertEquals(ReadResult.MALFORMED, read(twice));
  }

  @Test
  void shouldReportMalformedWhenTrailerHasTheWrongWireTypeOrSize() {
    assertEquals(
        ReadResult.MALFORMED, read(concat(envelope(), Wire.varintField(TransitTrailer.FIELD, 1))));
    assertEquals(
        ReadResult.MALFORMED,
        read(concat(envelope(), bytesField(TransitTrailer.FIELD, new byte[0]))));
    assertEquals(
        ReadResult.MALFORMED,
        read(concat(envelope(), bytesField(TransitTrailer.FIELD, new byte[] {1, 2, 3}))));
    byte[] tooLong = new byte[TransitTrailer.FIXED_BYTES + TransitTrailer.MAX_HOST_BYTES + 1];
    tooLong[0] = 1;
    assertEquals(ReadResult.MALFORMED, read(concat(envelope(), bytesField(1000, tooLong))));
  }

  @Test
  void shouldAcceptButNotTrackWhenTrailerHasAnUnknownVersion() {
    byte[] plain = envelope();
    assertEquals(
        ReadResult.OK, read(concat(plain, bytesField(TransitTrailer.FIELD, new byte[] {2, 9}))));
    assertFalse(fields.hasTransit());
    assertEquals(plain.length, fields.transitStart());
  }

  @Test
  void shouldPrintOnlyPlainCharactersOfAHostNameFromTheNetwork() {
    byte[] hostile = "h1\u001b]0;x\u0007\n\"}{é".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String printed = TransitTrailer.printableHost(hostile, 0, hostile.length);
    assertEquals("h1??0?x???????", printed);
    assertEquals("cell-7.z1_a", TransitTrailer.printableHost("cell-7.z1_a".getBytes(), 0, 11));
    assertEquals("unknown", TransitTrailer.printableHost(new byte[0], 0, 0));
  }

  @Test
  void shouldCutLongHostNamesWithoutSplittingACharacter() {
    assertEquals(32, TransitTrailer.hostBytes("h".repeat(40)).length);
    byte[] cut = TransitTrailer.hostBytes("h".repeat(31) + "é");
    assertEquals(31, cut.length);
    assertEquals(TransitTrailer.MAX_LENGTH, trailer(1, 1, "x".repeat(50)).length);
  }
}
