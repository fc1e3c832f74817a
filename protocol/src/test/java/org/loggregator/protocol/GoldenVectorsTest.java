package org.loggregator.protocol;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.HttpStartStop;
import org.loggregator.protocol.events.LogMessage;

class GoldenVectorsTest {

  static List<String> cases() {
    return GoldenVectors.CASES;
  }

  @Test
  void shouldHaveThreeFilesWhenListingEachCase() throws IOException {
    List<String> names = fileNames(GoldenVectors.dir());
    for (String name : GoldenVectors.CASES) {
      for (String suffix : List.of(".txt", ".envelope.bin", ".signed.bin")) {
        assertTrue(names.contains(name + suffix), name + suffix);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldDecodeToExactlyTheTextFieldsWhenParsingEnvelopeBytes(String name) {
    Envelope decoded = GoldenVectors.decoded(name);
    assertTrue(decoded.isInitialized());
    // Equality covers unknown fields too: none may be left over.
    assertEquals(GoldenVectors.textEnvelope(name), decoded);
  }

  static List<String> casesWithoutTags() {
    return GoldenVectors.CASES.stream().filter(name -> !name.equals("log_err_tags")).toList();
  }

  @Test
  void shouldHaveTagsOnlyInLogErrTagsWhenListingTheCases() {
    for (String name : GoldenVectors.CASES) {
      assertEquals(
          name.equals("log_err_tags"), GoldenVectors.textEnvelope(name).getTagsCount() > 0, name);
    }
  }

  @ParameterizedTest
  @MethodSource("casesWithoutTags")
  void shouldReencodeToTheSameBytesWhenEnvelopeHasNoTags(String name) {
    assertArrayEquals(
        GoldenVectors.envelopeBytes(name), GoldenVectors.textEnvelope(name).toByteArray());
  }

  @Test
  void shouldMatchFieldByFieldWhenReencodingEnvelopeWithTags() throws Exception {
    byte[] bytes = GoldenVectors.envelopeBytes("log_err_tags");
    Envelope text = GoldenVectors.textEnvelope("log_err_tags");
    byte[] reencoded = text.toByteArray();
    Envelope again = Envelope.parseFrom(reencoded);
    Envelope original = Envelope.parseFrom(bytes);
    assertEquals(2, text.getTagsCount());
    assertEquals(bytes.length, reencoded.length);
    assertAll(
        () -> assertEquals(original.getOrigin(), again.getOrigin()),
        () -> assertEquals(original.getEventType(), again.getEventType()),
        () -> assertEquals(original.getTimestamp(), again.getTimestamp()),
        () -> assertEquals(original.getLogMessage(), again.getLogMessage()),
        () -> assertEquals(original.getTagsMap(), again.getTagsMap()),
        () ->
            assertEquals(List.of(), original.getUnknownFields().asMap().keySet().stream().toList()),
        // Without the tags, the rest is byte-identical.
        () ->
            assertArrayEquals(
                original.toBuilder().clearTags().build().toByteArray(),
                text.toBuilder().clearTags().build().toByteArray()));
    assertEquals("z1", again.getTagsMap().get("zone"));
    assertEquals("us-east-1a", again.getTagsMap().get("az"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldProduceTheGoldenDatagramWhenSigningEnvelope(String name) {
    byte[] envelope = GoldenVectors.envelopeBytes(name);
    byte[] signed = GoldenVectors.signedBytes(name);
    assertArrayEquals(
        envelope, Arrays.copyOfRange(signed, DatagramSignature.HMAC_LENGTH, signed.length));
    assertArrayEquals(
        signed, new DatagramSignature(GoldenVectors.SECRET).sign(envelope, 0, envelope.length));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldAcceptDatagramWhenSecretMatches(String name) {
    byte[] signed = GoldenVectors.signedBytes(name);
    assertTrue(new DatagramSignature(GoldenVectors.SECRET).verify(signed, 0, signed.length));
    assertTrue(
        new DatagramSignature(GoldenVectors.SECRET.getBytes(StandardCharsets.US_ASCII))
            .verify(signed, 0, signed.length));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldRejectDatagramWhenSecretDiffers(String name) {
    byte[] signed = GoldenVectors.signedBytes(name);
    for (String other :
        List.of("loggregatorEndPointSharedSecreT", "loggregatorEndPointSharedSecret ", "x")) {
      assertFalse(new DatagramSignature(other).verify(signed, 0, signed.length), other);
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldRejectDatagramWhenAnySingleByteIsFlipped(String name) {
    byte[] signed = GoldenVectors.signedBytes(name);
    DatagramSignature signature = new DatagramSignature(GoldenVectors.SECRET);
    for (int i = 0; i < signed.length; i++) {
      for (int flip : new int[] {0x01, 0x80, 0xFF}) {
        byte[] tampered = signed.clone();
        tampered[i] ^= (byte) flip;
        assertFalse(signature.verify(tampered, 0, tampered.length), "byte " + i + " xor " + flip);
      }
    }
    assertTrue(signature.verify(signed, 0, signed.length), "the input was not modified");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldReadTheProtobufRoutingFieldsWhenReadingEnvelopeBytes(String name) {
    Envelope decoded = GoldenVectors.decoded(name);
    byte[] bytes = GoldenVectors.envelopeBytes(name);
    RoutingFields fields = new RoutingFields();
    assertEquals(ReadResult.OK, new EnvelopeReader().read(bytes, 0, bytes.length, fields));
    assertRoutingFields(decoded, fields);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldReadTheProtobufRoutingFieldsWhenReadingPastTheHmacOfDatagram(String name) {
    byte[] signed = GoldenVectors.signedBytes(name);
    RoutingFields fields = new RoutingFields();
    ReadResult result =
        new EnvelopeReader()
            .read(
                signed,
                DatagramSignature.HMAC_LENGTH,
                signed.length - DatagramSignature.HMAC_LENGTH,
                fields);
    assertEquals(ReadResult.OK, result);
    assertRoutingFields(GoldenVectors.decoded(name), fields);
  }

  @Test
  void shouldExpectTheKnownAppIdsWhenReadingTheVectors() {
    RoutingFields fields = new RoutingFields();
    EnvelopeReader reader = new EnvelopeReader();
    for (String name : GoldenVectors.CASES) {
      byte[] bytes = GoldenVectors.envelopeBytes(name);
      reader.read(bytes, 0, bytes.length, fields);
      String expected =
          switch (name) {
            case "log_out", "log_err_tags", "container_metric" ->
                "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";
            case "http_start_stop" -> "01000000-0000-0000-0200-000000000000";
            default -> null;
          };
      assertEquals(expected, fields.appId(), name);
    }
  }

  static void assertRoutingFields(Envelope decoded, RoutingFields fields) {
    assertEquals(decoded.getEventType().getNumber(), fields.eventType());
    assertEquals(decoded.getTimestamp(), fields.timestamp());
    String expectedAppId =
        switch (decoded.getEventType()) {
          case LogMessage -> decoded.getLogMessage().getAppId();
          case ContainerMetric -> decoded.getContainerMetric().getApplicationId();
          case HttpStartStop -> {
            HttpStartStop http = decoded.getHttpStartStop();
            yield http.hasApplicationId()
                ? AppIds.uuidText(
                    http.getApplicationId().getLow(), http.getApplicationId().getHigh())
                : null;
          }
          default -> null;
        };
    if (expectedAppId == null || expectedAppId.isEmpty()) {
      assertFalse(fields.hasAppId());
      assertNull(fields.appId());
      assertNull(fields.appIdBytes());
    } else {
      assertTrue(fields.hasAppId());
      assertEquals(expectedAppId, fields.appId());
      assertEquals(
          expectedAppId,
          new String(
              fields.appIdBytes(),
              fields.appIdOffset(),
              fields.appIdLength(),
              StandardCharsets.UTF_8));
    }
    if (decoded.getEventType() == Envelope.EventType.LogMessage) {
      LogMessage log = decoded.getLogMessage();
      assertEquals(log.getTimestamp(), fields.logTimestamp());
      assertEquals(log.getMessageType().getNumber(), fields.messageType());
      assertEquals(
          log.getMessage().toStringUtf8(),
          text(fields, fields.messageOffset(), fields.messageLength()));
      assertEquals(
          log.getSourceType(), text(fields, fields.sourceTypeOffset(), fields.sourceTypeLength()));
      assertEquals(
          log.getSourceInstance(),
          text(fields, fields.sourceInstanceOffset(), fields.sourceInstanceLength()));
    } else {
      assertEquals(0, fields.logTimestamp());
      assertEquals(0, fields.messageType());
      assertEquals(-1, fields.messageOffset());
    }
    String drainUrls = decoded.getTagsMap().get("drain_urls");
    assertEquals(drainUrls != null, fields.hasDrainUrls());
    if (drainUrls != null) {
      assertEquals(drainUrls, text(fields, fields.drainUrlsOffset(), fields.drainUrlsLength()));
    } else {
      assertEquals(-1, fields.drainUrlsOffset());
    }
  }

  private static String text(RoutingFields fields, int offset, int length) {
    return offset < 0 ? "" : new String(fields.buffer(), offset, length, StandardCharsets.UTF_8);
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
