package org.loggregator.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.loggregator.protocol.RequestSignature.Request;
import org.loggregator.protocol.RequestSignature.Verdict;

class RequestSignatureTest {

  private static final String PATH = "/doppler/apps/6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab/stream";
  private static final String BATCHES = "loggregator.envelope-batch.v1";
  private static final Request REQUEST = new Request("GET", PATH, "", BATCHES);
  private static final long NOW = 1_700_000_000L;
  private static final String NONCE = "00112233445566778899aabbccddeeff";

  private final RequestSignature signature = new RequestSignature(GoldenVectors.SECRET);

  private Verdict verify(String header, Request request, long now) {
    return signature.verify(header, request, now).verdict();
  }

  @Test
  void shouldNameTheHeaderAsTheProtocolSays() {
    assertEquals("X-Loggregator-Signature", RequestSignature.HEADER);
  }

  @Test
  void shouldSignVersionTimeNonceMethodPathQueryAndSubprotocolsWhenMakingTheHeader()
      throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(GoldenVectors.SECRET.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    String input =
        "loggregator-request-v2\n"
            + NOW
            + "\n"
            + NONCE
            + "\nGET\n"
            + PATH
            + "\nx=1\n"
            + BATCHES
            + "\n";
    String expectedSig =
        HexFormat.of().formatHex(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
    assertEquals(
        "t=" + NOW + ",n=" + NONCE + ",sig=" + expectedSig,
        signature.header(new Request("GET", PATH, "x=1", " " + BATCHES + " "), NOW, NONCE));
  }

  @Test
  void shouldVerifyOkWhenHeaderRoundTrips() {
    for (Request request :
        List.of(
            REQUEST,
            Request.get("/doppler/firehose/sub-1?x=1&y=é"),
            Request.get("/"),
            new Request("POST", "/a", null, null))) {
      assertEquals(
          Verdict.OK, verify(signature.header(request, NOW), request, NOW), request.toString());
    }
    assertEquals(Verdict.OK, verify("  " + signature.header(REQUEST, NOW) + "\t", REQUEST, NOW));
  }

  @Test
  void shouldGiveEachHeaderItsOwnNonceSoThatTwoEqualRequestsAreNotReplays() {
    String first = signature.header(REQUEST, NOW);
    String second = signature.header(REQUEST, NOW);
    assertNotEquals(first, second);
    assertNotEquals(
        signature.verify(first, REQUEST, NOW).replayKey(),
        signature.verify(second, REQUEST, NOW).replayKey());
  }

  @Test
  void shouldVerifyOkWhenClockSkewIsAtMostSixtySeconds() {
    String header = signature.header(REQUEST, NOW);
    assertEquals(Verdict.OK, verify(header, REQUEST, NOW + 60));
    assertEquals(Verdict.OK, verify(header, REQUEST, NOW - 60));
  }

  @Test
  void shouldReportExpiredWhenClockIsSkewedByMoreThanSixtySeconds() {
    String header = signature.header(REQUEST, NOW);
    assertEquals(Verdict.EXPIRED, verify(header, REQUEST, NOW + 61));
    assertEquals(Verdict.EXPIRED, verify(header, REQUEST, NOW - 61));
    assertEquals(Verdict.EXPIRED, verify(header, REQUEST, 0));
  }

  @Test
  void shouldReportBadSignatureWhenSecretDiffers() {
    String header = new RequestSignature("another secret").header(REQUEST, NOW);
    assertEquals(Verdict.BAD_SIGNATURE, verify(header, REQUEST, NOW));
  }

  @Test
  void shouldReportBadSignatureWhenMethodPathQuerySubprotocolTimeOrNonceIsTampered() {
    String header = signature.header(REQUEST, NOW);
    for (Request other :
        List.of(
            new Request("POST", PATH, "", BATCHES),
            new Request("get", PATH, "", BATCHES),
            new Request("GET", PATH.replace("6f1c", "7f1c"), "", BATCHES),
            new Request("GET", PATH + "/", "", BATCHES),
            new Request("GET", PATH, "x=1", BATCHES),
            new Request("GET", PATH, "", ""),
            new Request("GET", PATH, "", BATCHES + ",other"),
            new Request("GET", "/apps/x/stream", "", BATCHES))) {
      assertEquals(Verdict.BAD_SIGNATURE, verify(header, other, NOW), other.toString());
    }
    String otherTime = header.replace("t=" + NOW, "t=" + (NOW + 1));
    assertEquals(Verdict.BAD_SIGNATURE, verify(otherTime, REQUEST, NOW));
    String zeroPadded = header.replace("t=" + NOW, "t=0" + NOW);
    assertEquals(Verdict.BAD_SIGNATURE, verify(zeroPadded, REQUEST, NOW));
    int n = header.indexOf("n=") + 2;
    String otherNonce =
        header.substring(0, n) + (header.charAt(n) == '0' ? '1' : '0') + header.substring(n + 1);
    assertEquals(Verdict.BAD_SIGNATURE, verify(otherNonce, REQUEST, NOW));
    char last = header.charAt(header.length() - 1);
    String flipped = header.substring(0, header.length() - 1) + (last == '0' ? '1' : '0');
    assertEquals(Verdict.BAD_SIGNATURE, verify(flipped, REQUEST, NOW));
  }

  @Test
  void shouldReportMissingWhenHeaderIsAbsentOrBlank() {
    assertEquals(Verdict.MISSING, verify(null, REQUEST, NOW));
    assertEquals(Verdict.MISSING, verify("", REQUEST, NOW));
    assertEquals(Verdict.MISSING, verify(" \t", REQUEST, NOW));
  }

  @Test
  void shouldReportMalformedWhenHeaderIsGarbageOrHasAnotherSpelling() {
    String header = signature.header(REQUEST, NOW, NONCE);
    String sig = header.substring(header.indexOf("sig=") + 4);
    String upper = "t=" + NOW + ",n=" + NONCE + ",sig=" + sig.toUpperCase(Locale.ROOT);
    List<String> garbage =
        List.of(
            "garbage",
            "t=",
            "t=" + NOW,
            "t=" + NOW + ",sig=" + sig,
            "t=" + NOW + ",n=" + NONCE + ",sig=",
            "sig=" + sig + ",n=" + NONCE + ",t=" + NOW,
            "t=,n=" + NONCE + ",sig=" + sig,
            "t=-5,n=" + NONCE + ",sig=" + sig,
            "t=12a,n=" + NONCE + ",sig=" + sig,
            "t=" + NOW + ", n=" + NONCE + ",sig=" + sig,
            "t=" + NOW + ",n=" + NONCE + "0,sig=" + sig,
            "t=" + NOW + ",n=" + NONCE.toUpperCase(Locale.ROOT) + ",sig=" + sig,
            "t=" + NOW + ",n=" + NONCE + ",sig=" + sig + "0",
            "t=" + NOW + ",n=" + NONCE + ",sig=" + sig.substring(2) + "zz",
            "t=" + NOW + ",n=" + NONCE + ",sig=" + sig.substring(2) + "٣٣",
            "t=" + NOW + ",n=" + NONCE + ",sig=" + sig + ",x=1",
            "t=99999999999999999999,n=" + NONCE + ",sig=" + sig,
            upper,
            "bearer abc");
    for (String value : garbage) {
      assertEquals(Verdict.MALFORMED, verify(value, REQUEST, NOW), value);
    }
  }

  @Test
  void shouldBindTheStatedDigestOfTheBodyWhenARequestCarriesOne() throws Exception {
    byte[] body = "syslog://logs.example.com:514\n".getBytes(StandardCharsets.UTF_8);
    Request put = new Request("PUT", "/apps/a/drains", "", "").withBody(body);
    assertEquals(
        HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body)),
        put.content());
    String header = signature.header(put, NOW);

    assertEquals(Verdict.OK, verify(header, put, NOW));
    assertEquals(
        Verdict.BAD_SIGNATURE,
        verify(
            header,
            put.withBody("syslog://evil.example:514\n".getBytes(StandardCharsets.UTF_8)),
            NOW));
    assertEquals(
        Verdict.BAD_SIGNATURE, verify(header, new Request("PUT", "/apps/a/drains", "", ""), NOW));
  }

  @Test
  void shouldNormalizeSubprotocolListsTheWayBothSidesSendThem() {
    assertEquals("", RequestSignature.normalizeSubprotocols(null));
    assertEquals("a,b", RequestSignature.normalizeSubprotocols(" a , b ,, "));
    String header = signature.header(new Request("GET", PATH, "", "a, b"), NOW);
    assertEquals(Verdict.OK, verify(header, new Request("GET", PATH, "", "a,b"), NOW));
  }

  @Test
  void shouldSignWithTheFirstSecretAndAcceptEitherWhenTwoAreListedDuringARotation() {
    RequestSignature both =
        new RequestSignature(
            SharedSecrets.parse(TestSecrets.NEXT + "," + TestSecrets.SECRET, "test secrets"));
    RequestSignature oldOnly = new RequestSignature(TestSecrets.SECRET);
    RequestSignature newOnly = new RequestSignature(TestSecrets.NEXT);

    assertEquals(Verdict.OK, both.verify(oldOnly.header(REQUEST, NOW), REQUEST, NOW).verdict());
    assertEquals(Verdict.OK, both.verify(newOnly.header(REQUEST, NOW), REQUEST, NOW).verdict());
    assertEquals(Verdict.OK, newOnly.verify(both.header(REQUEST, NOW), REQUEST, NOW).verdict());
    assertEquals(
        Verdict.BAD_SIGNATURE, oldOnly.verify(both.header(REQUEST, NOW), REQUEST, NOW).verdict());
  }

  @Test
  void shouldRefuseTheSecretWhenItIsEmpty() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new RequestSignature(""));
    assertTrue(e.getMessage().contains("shared secret"));
    assertThrows(IllegalArgumentException.class, () -> new RequestSignature(new byte[0]));
  }

  @Test
  void shouldGiveTheSameVerdictsWhenUsedFromManyThreadsAtOnce() {
    long ok =
        IntStream.range(0, 2_000)
            .parallel()
            .filter(
                i -> {
                  Request request = Request.get("/doppler/apps/app-" + i + "/stream");
                  return verify(signature.header(request, NOW + i), request, NOW + i) == Verdict.OK;
                })
            .count();
    assertEquals(2_000, ok);
  }
}
