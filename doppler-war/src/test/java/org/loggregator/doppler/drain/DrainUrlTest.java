package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DrainUrlTest {

  private static String refusal(String text) {
    return assertThrows(InvalidDrainUrlException.class, () -> DrainUrl.parse(text)).getMessage();
  }

  @Test
  void shouldParseEachSchemeWithItsDefaultPortWhenNoneIsGiven() {
    assertEquals(
        "syslog://logs.example.com:514", DrainUrl.parse("syslog://logs.example.com").redacted());
    assertEquals(
        "syslog-tls://logs.example.com:6514",
        DrainUrl.parse("syslog-tls://logs.example.com").redacted());
    assertEquals(
        "https://logs.example.com:443", DrainUrl.parse("https://logs.example.com/in").redacted());
    DrainUrl url = DrainUrl.parse(" syslog://127.0.0.1:5140 ");
    assertEquals(DrainUrl.Scheme.SYSLOG, url.scheme());
    assertEquals("127.0.0.1", url.host());
    assertEquals(5140, url.port());
    assertFalse(url.skipCertVerify());
  }

  @Test
  void shouldLeaveOutUserInfoPathAndQueryWhenRedacted() {
    DrainUrl url =
        DrainUrl.parse("https://user:s3cret@logs.example.com:8443/drain/t0ken?token=abc#frag");

    assertEquals("https://logs.example.com:8443", url.redacted());
    assertFalse(url.redacted().contains("t0ken"));
    assertEquals(url.redacted(), url.toString());
    assertFalse(url.redacted().contains("s3cret"));
    assertFalse(url.redacted().contains("abc"));
  }

  @Test
  void shouldTurnUserInfoIntoBasicAuthorizationWhenPostingOverHttps() {
    DrainUrl url = DrainUrl.parse("https://user:p%40ss@logs.example.com/in?token=abc");

    assertEquals(URI.create("https://logs.example.com:443/in?token=abc"), url.requestUri());
    assertEquals(
        "Basic " + Base64.getEncoder().encodeToString("user:p@ss".getBytes(StandardCharsets.UTF_8)),
        url.basicAuthorization());
    assertNull(DrainUrl.parse("https://logs.example.com/").basicAuthorization());
  }

  @Test
  void shouldSkipVerificationOnlyWhenTheUrlSaysSoExplicitly() {
    DrainUrl skipped = DrainUrl.parse("syslog-tls://h:6514?skip-cert-verify=true");
    DrainUrl https = DrainUrl.parse("https://h/in?a=1&skip-cert-verify=true&b=2");

    assertTrue(skipped.skipCertVerify());
    assertTrue(https.skipCertVerify());
    assertEquals(URI.create("https://h:443/in?a=1&b=2"), https.requestUri());
    assertFalse(DrainUrl.parse("syslog-tls://h?skip-cert-verify=false").skipCertVerify());
    assertFalse(DrainUrl.parse("syslog-tls://h").skipCertVerify());
  }

  @Test
  void shouldRefuseSkipCertVerifyWhenTheDrainIsPlainSyslogOrTheValueIsNotABoolean() {
    assertTrue(refusal("syslog://h:514?skip-cert-verify=true").contains("applies only to"));
    assertTrue(refusal("syslog-tls://h?skip-cert-verify=yes").contains("true or false"));
  }

  @Test
  void shouldNameTheSchemeWhenItIsNotSupported() {
    assertEquals(
        "Drain URL ftp://files.example.com has the unsupported scheme \"ftp\": use syslog://,"
            + " syslog-tls:// or https://.",
        refusal("ftp://user:pw@files.example.com/x?secret=1"));
    assertTrue(refusal("http://logs.example.com/").contains("\"http\""));
  }

  @Test
  void shouldExplainWithoutCredentialsWhenTheUrlIsMalformed() {
    String message = refusal("syslog://user:pa ss@host:514/?token=t0ps3cret");

    assertTrue(message.startsWith("Drain URL syslog://host:514 is malformed"), message);
    assertFalse(message.contains("pa ss"), message);
    assertFalse(message.contains("t0ps3cret"), message);
  }

  @Test
  void shouldRefuseWhenHostOrPortOrSchemeIsMissingOrInvalid() {
    assertTrue(
        refusal("logs.example.com:514").contains("unsupported scheme"),
        "host:port parses as scheme");
    assertTrue(refusal("//logs.example.com:514").contains("has no scheme"));
    assertTrue(refusal("syslog:///path").contains("has no valid host"));
    assertTrue(refusal("syslog://host:0").contains("invalid port 0"));
    assertTrue(refusal("syslog://host:70000").contains("invalid port 70000"));
    assertTrue(refusal("").contains("empty"));
    assertTrue(refusal("syslog:opaque").contains("has no valid host"));
  }

  @Test
  void shouldRefuseWithAShortSentenceWhenTheUrlOrItsHostIsTooLong() {
    String longUrl = refusal("https://logs.example.com/in?token=" + "t".repeat(10_000));
    String longHost = refusal("syslog://" + "a".repeat(300) + ".example.com:514");

    assertTrue(longUrl.contains("is longer than 4096 characters"), longUrl);
    assertFalse(longUrl.contains("ttt"), longUrl);
    assertTrue(longHost.contains("has a host longer than 254 characters"), longHost);
    assertTrue(longHost.length() < 300, "the host is cut in the sentence: " + longHost.length());
    String atTheLimit = "https://logs.example.com/" + "p".repeat(4096 - 25);
    assertEquals(4096, atTheLimit.length());
    assertEquals("https://logs.example.com:443", DrainUrl.parse(atTheLimit).redacted());
  }

  @Test
  void shouldRefuseTheShortAndTrailingDotFormsOfAnIpv4AddressThatUriCannotParse() {
    for (String url :
        new String[] {"syslog://127.1:514", "syslog://0x7f.1:514", "syslog://127.0.0.1.:514"}) {
      assertTrue(refusal(url).contains("has no valid host"), url);
    }
  }

  @Test
  void shouldKeepTheHostAsWrittenWhenItIsANumberOrAnIpv6LiteralForTheGuardToCheck() {
    assertEquals("2130706433", DrainUrl.parse("syslog://2130706433:514").host());
    assertEquals("localhost.", DrainUrl.parse("syslog://localhost.:514").host());
    DrainUrl ipv6 = DrainUrl.parse("https://[::ffff:127.0.0.1]:8443/in");
    assertEquals("[::ffff:127.0.0.1]", ipv6.host());
    assertEquals("https://[::ffff:127.0.0.1]:8443", ipv6.redacted());
    assertEquals(URI.create("https://[::ffff:127.0.0.1]:8443/in"), ipv6.requestUri());
    assertEquals("[fe80::1%eth0]", DrainUrl.parse("syslog://[fe80::1%eth0]:514").host());
  }

  @Test
  void shouldCutCredentialsPathQueryAndControlCharactersWhenSanitizingAnyText() {
    assertEquals("syslog://host:1", DrainUrl.sanitize("syslog://u:p@host:1/p?q=1"));
    assertEquals("https://host", DrainUrl.sanitize("https://[broken:pw@host/t0ken"));
    assertEquals("host", DrainUrl.sanitize("host/a@b"));
    assertEquals("x?y", DrainUrl.sanitize("x\ny"));
    assertEquals(200, DrainUrl.sanitize("a".repeat(500)).length());
  }

  @Test
  void shouldCompareByTheFullTextWhenUsedAsAKey() {
    assertEquals(DrainUrl.parse("syslog://h:1"), DrainUrl.parse("syslog://h:1"));
    assertFalse(DrainUrl.parse("syslog://h:1").equals(DrainUrl.parse("syslog://a@h:1")));
  }
}
