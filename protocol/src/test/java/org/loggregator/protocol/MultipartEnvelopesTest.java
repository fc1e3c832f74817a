package org.loggregator.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.loggregator.protocol.events.Envelope;

class MultipartEnvelopesTest {

  private static byte[] logEnvelope(String text) {
    Envelope.Builder envelope =
        TestEnvelopes.log("6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab", text).setOrigin("doppler");
    envelope.getLogMessageBuilder().clearSourceType().clearSourceInstance();
    return TestEnvelopes.bytes(envelope);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void assertSameEnvelopes(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.size(), actual.size(), "number of parts");
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "part " + i);
    }
  }

  private static List<byte[]> roundTrip(List<byte[]> envelopes) {
    String boundary = MultipartEnvelopes.newBoundary();
    byte[] body = MultipartEnvelopes.toBytes(envelopes, boundary);
    return MultipartEnvelopes.parse(body, boundary);
  }

  @Test
  void shouldWriteOnlyTheClosingDelimiterAndReadNothingBackWhenThereAreNoEnvelopes() {
    byte[] body = MultipartEnvelopes.toBytes(List.of(), "b0und");

    assertEquals("--b0und--\r\n", new String(body, StandardCharsets.ISO_8859_1));
    assertTrue(MultipartEnvelopes.parse(body, "b0und").isEmpty());
    assertTrue(roundTrip(List.of()).isEmpty());
  }

  @Test
  void shouldLayOutOnePartAsGoMimeMultipartDoesWhenWritingOneEnvelope() {
    byte[] body = MultipartEnvelopes.toBytes(List.of(ascii("ENV")), "xyz");

    assertEquals("--xyz\r\n\r\nENV\r\n--xyz--\r\n", new String(body, StandardCharsets.ISO_8859_1));
  }

  @Test
  void shouldReadBackTheSameEnvelopeWhenThereIsOne() {
    List<byte[]> envelopes = List.of(logEnvelope("one line"));

    assertSameEnvelopes(envelopes, roundTrip(envelopes));
  }

  @Test
  void shouldReadBackEveryEnvelopeInOrderWhenThereAreMany() {
    List<byte[]> envelopes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      envelopes.add(logEnvelope("line " + i));
    }

    assertSameEnvelopes(envelopes, roundTrip(envelopes));
  }

  @Test
  void shouldReadBackEnvelopesIntactWhenTheyContainLineBreaksAndDashes() {
    List<byte[]> envelopes =
        List.of(
            logEnvelope("line one\r\nline two\r\n\r\n--not a boundary\r\n--"),
            ascii("\r\n"),
            ascii("--"),
            ascii("\r\n--\r\n\r\n--\r\n"),
            new byte[0],
            ascii("ends with CR\r"),
            ascii("\n--starts with LF and dashes"),
            logEnvelope("--\r\n--\r\n"));

    assertSameEnvelopes(envelopes, roundTrip(envelopes));
  }

  @Test
  void shouldReadBackArbitraryBytesWhenEnvelopesAreRandom() {
    Random random = new Random(42);
    List<byte[]> envelopes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] envelope = new byte[random.nextInt(300)];
      for (int j = 0; j < envelope.length; j++) {
        // Biased towards the bytes a delimiter is made of.
        envelope[j] = (byte) "\r\n-ab".charAt(random.nextInt(5));
      }
      envelopes.add(envelope);
    }

    assertSameEnvelopes(envelopes, roundTrip(envelopes));
  }

  @Test
  void shouldWriteTheSameBodyToAStreamAsToBytes() throws Exception {
    List<byte[]> envelopes = List.of(logEnvelope("a"), logEnvelope("b"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    MultipartEnvelopes.write(envelopes, "bnd", out);

    assertArrayEquals(MultipartEnvelopes.toBytes(envelopes, "bnd"), out.toByteArray());
  }

  @Test
  void shouldMakeAFreshBoundaryWhenAskedTwice() {
    String first = MultipartEnvelopes.newBoundary();

    assertNotEquals(first, MultipartEnvelopes.newBoundary());
    assertTrue(first.matches("[0-9a-f]{30}"), first);
  }

  @Test
  void shouldNameTheBoundaryInTheContentType() {
    assertEquals("multipart/x-protobuf; boundary=abc123", MultipartEnvelopes.contentType("abc123"));
    assertEquals("abc123", MultipartEnvelopes.boundaryOf(MultipartEnvelopes.contentType("abc123")));
  }

  @Test
  void shouldReadTheBoundaryWhenItIsUnquoted() {
    assertEquals("abc", MultipartEnvelopes.boundaryOf("multipart/x-protobuf; boundary=abc"));
    assertEquals("abc", MultipartEnvelopes.boundaryOf("multipart/x-protobuf;boundary=abc"));
    assertEquals("abc", MultipartEnvelopes.boundaryOf("multipart/x-protobuf; BOUNDARY=abc"));
    assertEquals(
        "abc", MultipartEnvelopes.boundaryOf("multipart/x-protobuf; boundary=abc; charset=x"));
  }

  @Test
  void shouldReadTheBoundaryWithoutQuotesWhenItIsQuoted() {
    assertEquals(
        "a b=c", MultipartEnvelopes.boundaryOf("multipart/x-protobuf; boundary=\"a b=c\""));
    assertEquals(
        "abc", MultipartEnvelopes.boundaryOf("multipart/x-protobuf; charset=x; boundary=\"abc\""));
  }

  @Test
  void shouldFindNoBoundaryWhenItIsMissingOrEmpty() {
    assertNull(MultipartEnvelopes.boundaryOf(null));
    assertNull(MultipartEnvelopes.boundaryOf("multipart/x-protobuf"));
    assertNull(MultipartEnvelopes.boundaryOf("application/x-protobuf; charset=x"));
    assertNull(MultipartEnvelopes.boundaryOf("multipart/x-protobuf; boundary="));
    assertNull(MultipartEnvelopes.boundaryOf("multipart/x-protobuf; boundary=\"\""));
  }

  @Test
  void shouldSkipPartHeadersWhenPartsCarryThem() {
    byte[] first = logEnvelope("first");
    byte[] second = logEnvelope("second");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(ascii("preamble to ignore\r\n"));
    body.writeBytes(ascii("--sep\r\nContent-Type: application/octet-stream\r\n\r\n"));
    body.writeBytes(first);
    body.writeBytes(ascii("\r\n--sep\r\nContent-Type: application/x-protobuf\r\n"));
    body.writeBytes(ascii("Content-Length: " + second.length + "\r\n\r\n"));
    body.writeBytes(second);
    body.writeBytes(ascii("\r\n--sep--\r\nepilogue to ignore"));

    assertSameEnvelopes(
        List.of(first, second), MultipartEnvelopes.parse(body.toByteArray(), "sep"));
  }

  @Test
  void shouldRefuseWhenTheBodyIsMalformed() {
    byte[] good = MultipartEnvelopes.toBytes(List.of(ascii("ENV")), "sep");
    List<byte[]> malformed =
        List.of(
            new byte[0],
            ascii("no multipart here"),
            good, // right body, wrong boundary below
            ascii("--sep"),
            ascii("--sep\r\nContent-Type: x"),
            ascii("--sep\r\n\r\nENV"),
            ascii("--sep\r\n\r\nENV\r\n--sep\r\n\r\nMORE"));

    for (int i = 0; i < malformed.size(); i++) {
      byte[] body = malformed.get(i);
      String boundary = i == 2 ? "other" : "sep";
      assertThrows(
          IllegalArgumentException.class,
          () -> MultipartEnvelopes.parse(body, boundary),
          "body " + i + ": " + new String(body, StandardCharsets.ISO_8859_1));
    }
  }
}
