package org.loggregator.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.loggregator.protocol.RequestSignature.Verdict;

class RequestSignatureTest {

  private static final String PATH =
      "/doppler/apps/6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab/recentlogs";
  private static final long NOW = 1_700_000_000L;

  private final RequestSignature signature = new RequestSignature(GoldenVectors.SECRET);

  @Test
  void shouldNameTheHeaderAsTheProtocolSays() {
    assertEquals("X-Loggregator-Signature", RequestSignature.HEADER);
  }

  @Test
  void shouldWriteTimeAndLowercaseHexHmacWhenMakingTheHeader() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(GoldenVectors.SECRET.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    String expectedSig =
        HexFormat.of().formatHex(mac.doFinal((NOW + "\n" + PATH).getBytes(StandardCharsets.UTF_8)));
    assertEquals("t=" + NOW + ",sig=" + expectedSig, signature.header(PATH, NOW));
  }

  @Test
  void shouldVerifyOkWhenHeaderRoundTrips() {
    for (String path : List.of(PATH, "/doppler/firehose/sub-1?x=1&y=é", "/", "")) {
      assertEquals(Verdict.OK, signature.verify(signature.header(path, NOW), path, NOW), path);
    }
    assertEquals(
        Verdict.OK, signature.verify("  " + signature.header(PATH, NOW) + "\t", PATH, NOW));
    String header = signature.header(PATH, NOW);
    int hex = header.indexOf("sig=") + 4;
    String upper = header.substring(0, hex) + header.substring(hex).toUpperCase(Locale.ROOT);
    assertEquals(Verdict.OK, signature.verify(upper, PATH, NOW), "hex digits in either case");
  }

  @Test
  void shouldVerifyOkWhenClockSkewIsAtMostThreeHundredSeconds() {
    String header = signature.header(PATH, NOW);
    assertEquals(Verdict.OK, signature.verify(header, PATH, NOW + 300));
    assertEquals(Verdict.OK, signature.verify(header, PATH, NOW - 300));
  }

  @Test
  void shouldReportExpiredWhenClockIsSkewedByMoreThanThreeHundredSeconds() {
    String header = signature.header(PATH, NOW);
    assertEquals(Verdict.EXPIRED, signature.verify(header, PATH, NOW + 301));
    assertEquals(Verdict.EXPIRED, signature.verify(header, PATH, NOW - 301));
    assertEquals(Verdict.EXPIRED, signature.verify(header, PATH, 0));
  }

  @Test
  void shouldReportBadSignatureWhenSecretDiffers() {
    String header = new RequestSignature("another secret").header(PATH, NOW);
    assertEquals(Verdict.BAD_SIGNATURE, signature.verify(header, PATH, NOW));
  }

  @Test
  void shouldReportBadSignatureWhenPathOrTimeIsTampered() {
    String header = signature.header(PATH, NOW);
    assertEquals(
        Verdict.BAD_SIGNATURE, signature.verify(header, PATH.replace("6f1c", "7f1c"), NOW));
    assertEquals(Verdict.BAD_SIGNATURE, signature.verify(header, PATH + "?x=1", NOW));
    assertEquals(Verdict.BAD_SIGNATURE, signature.verify(header, "/apps/x/recentlogs", NOW));
    String otherTime = header.replace("t=" + NOW, "t=" + (NOW + 1));
    assertEquals(Verdict.BAD_SIGNATURE, signature.verify(otherTime, PATH, NOW));
    String zeroPadded = header.replace("t=" + NOW, "t=0" + NOW);
    assertEquals(Verdict.BAD_SIGNATURE, signature.verify(zeroPadded, PATH, NOW));
    char last = header.charAt(header.length() - 1);
    String flipped = header.substring(0, header.length() - 1) + (last == '0' ? '1' : '0');
    assertEquals(Verdict.BAD_SIGNATURE, signature.verify(flipped, PATH, NOW));
  }

  @Test
  void shouldReportMissingWhenHeaderIsAbsentOrBlank() {
    assertEquals(Verdict.MISSING, signature.verify(null, PATH, NOW));
    assertEquals(Verdict.MISSING, signature.verify("", PATH, NOW));
    assertEquals(Verdict.MISSING, signature.verify(" \t", PATH, NOW));
  }

  @Test
  void shouldReportMalformedWhenHeaderIsGarbage() {
    String sig = signature.header(PATH, NOW).substring(("t=" + NOW + ",sig=").length());
    List<String> garbage =
        List.of(
            "garbage",
            "t=",
            "t=" + NOW,
            "t=" + NOW + ",",
            "t=" + NOW + ",sig=",
            "sig=" + sig + ",t=" + NOW,
            "t=,sig=" + sig,
            "t=-5,sig=" + sig,
            "t=12a,sig=" + sig,
            "t=" + NOW + ", sig=" + sig,
            "t=" + NOW + ",sig=" + sig + "0",
            "t=" + NOW + ",sig=" + sig.substring(1),
            "t=" + NOW + ",sig=" + sig.substring(2) + "zz",
            "t=" + NOW + ",sig=" + sig.substring(2) + "٣٣",
            "t=" + NOW + ",sig=" + sig + ",x=1",
            "t=99999999999999999999,sig=" + sig,
            "T=" + NOW + ",sig=" + sig,
            "bearer abc");
    for (String value : garbage) {
      assertEquals(Verdict.MALFORMED, signature.verify(value, PATH, NOW), value);
    }
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
                  String path = "/doppler/apps/app-" + i + "/stream";
                  return signature.verify(signature.header(path, NOW + i), path, NOW + i)
                      == Verdict.OK;
                })
            .count();
    assertEquals(2_000, ok);
  }
}
