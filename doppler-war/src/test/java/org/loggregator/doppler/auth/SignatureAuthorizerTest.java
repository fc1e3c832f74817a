package org.loggregator.doppler.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.loggregator.access.Credential;
import org.loggregator.access.Decision;
import org.loggregator.access.Refusal;
import org.loggregator.access.RequestCredentials;
import org.loggregator.access.Route;
import org.loggregator.protocol.EnvelopeBatch;
import org.loggregator.protocol.RequestSignature;
import org.loggregator.protocol.RequestSignature.Request;

class SignatureAuthorizerTest {
  private static final long NOW = 1_700_000_000L;
  private static final String SUBPROTOCOL = "loggregator.envelope-batch.v1";
  private static final Route STREAM =
      Route.webSocket("/apps/{appId}/stream", Credential.CONTROLLER_SIGNATURE);
  private static final Route RECENT_LOGS =
      Route.http("GET", "/apps/{appId}/recentlogs", Credential.CONTROLLER_SIGNATURE);
  private static final Route FIREHOSE =
      Route.webSocket("/firehose/{subscriptionId}", Credential.CONTROLLER_SIGNATURE);

  private final RequestSignature signature = new RequestSignature("test secret, tests only");
  private final AtomicLong clock = new AtomicLong(NOW);
  private final SignatureAuthorizer authorizer =
      new SignatureAuthorizer(signature, new ReplayCache(100), clock::get);

  private static RequestCredentials request(
      String method, String signatureHeader, String query, String subprotocols) {
    return new RequestCredentials(
        method,
        "http",
        "doppler:8090",
        null,
        null,
        null,
        null,
        signatureHeader,
        subprotocols,
        query,
        null,
        false);
  }

  private static RequestCredentials stream(String signatureHeader) {
    return request("GET", signatureHeader, null, SUBPROTOCOL);
  }

  private String streamHeader(String app, long at) {
    return signature.header(new Request("GET", "/apps/" + app + "/stream", "", SUBPROTOCOL), at);
  }

  private static void assertRefused(Refusal expected, Decision decision) {
    assertFalse(decision.allowed(), String.valueOf(decision));
    assertEquals(expected, decision.refusal(), decision.sentence());
    assertFalse(decision.sentence().isEmpty());
  }

  @Test
  void shouldUseTheSubprotocolTheControllerAsksForWhenSigningInTheseTests() {
    assertEquals(EnvelopeBatch.SUBPROTOCOL, SUBPROTOCOL);
  }

  @Test
  void shouldAllowOnCheckAndOnceOnAdmitWhenTheSignatureIsForThisRequest() {
    String header = streamHeader("V", NOW);

    assertTrue(authorizer.check(stream(header), STREAM, "V").allowed());
    assertTrue(authorizer.check(stream(header), STREAM, "V").allowed(), "check consumes nothing");
    assertTrue(authorizer.admit(stream(header), STREAM, "V").allowed());
  }

  @Test
  void shouldRefuseAsReplayWhenASignatureIsAdmittedOrCheckedAgainAfterAnAdmit() {
    String header = streamHeader("V", NOW);
    assertTrue(authorizer.admit(stream(header), STREAM, "V").allowed());

    clock.addAndGet(5);
    assertRefused(Refusal.REPLAY, authorizer.admit(stream(header), STREAM, "V"));
    assertRefused(Refusal.REPLAY, authorizer.check(stream(header), STREAM, "V"));
    clock.addAndGet(55);
    assertRefused(Refusal.REPLAY, authorizer.admit(stream(header), STREAM, "V"));
  }

  @Test
  void shouldAllowAFreshSignatureOfTheSameRequestWhenAnotherWasAdmitted() {
    assertTrue(authorizer.admit(stream(streamHeader("V", NOW)), STREAM, "V").allowed());
    assertTrue(
        authorizer.admit(stream(streamHeader("V", NOW)), STREAM, "V").allowed(),
        "a new nonce is a new request");
  }

  @Test
  void shouldRefuseAsBadSignatureWhenTheSignatureIsForAnotherAppsPath() {
    String forW = streamHeader("W", NOW);

    assertRefused(Refusal.BAD_SIGNATURE, authorizer.check(stream(forW), STREAM, "V"));
    assertRefused(Refusal.BAD_SIGNATURE, authorizer.admit(stream(forW), STREAM, "V"));
    assertTrue(authorizer.admit(stream(forW), STREAM, "W").allowed(), "a refusal consumed nothing");
  }

  @Test
  void shouldRefuseAsBadSignatureWhenTheSignatureIsForAnotherRoute() {
    String header = streamHeader("V", NOW);
    assertRefused(
        Refusal.BAD_SIGNATURE,
        authorizer.admit(request("GET", header, null, SUBPROTOCOL), RECENT_LOGS, "V"));
    assertRefused(
        Refusal.BAD_SIGNATURE,
        authorizer.admit(request("GET", header, null, SUBPROTOCOL), FIREHOSE, "V"));
  }

  @Test
  void shouldRefuseAsBadSignatureWhenTheMethodQueryOrSubprotocolDiffers() {
    String header = streamHeader("V", NOW);

    assertRefused(
        Refusal.BAD_SIGNATURE,
        authorizer.admit(request("POST", header, null, SUBPROTOCOL), STREAM, "V"));
    assertRefused(
        Refusal.BAD_SIGNATURE,
        authorizer.admit(request("GET", header, "x=1", SUBPROTOCOL), STREAM, "V"));
    assertRefused(
        Refusal.BAD_SIGNATURE, authorizer.admit(request("GET", header, null, null), STREAM, "V"));
    assertRefused(
        Refusal.BAD_SIGNATURE,
        authorizer.admit(request("GET", header, null, "other.v1"), STREAM, "V"));
    assertRefused(
        Refusal.BAD_SIGNATURE,
        authorizer.admit(request("GET", header, null, SUBPROTOCOL + ",other.v1"), STREAM, "V"));
    assertTrue(
        authorizer
            .admit(request("GET", header, "", " " + SUBPROTOCOL + " ,"), STREAM, "V")
            .allowed(),
        "an empty query and spaces around the subprotocol sign the same");
  }

  @Test
  void shouldCoverTheQueryWhenTheSignatureHasOne() {
    String header = signature.header(new Request("GET", "/apps/V/recentlogs", "limit=10", ""), NOW);

    assertRefused(
        Refusal.BAD_SIGNATURE,
        authorizer.check(request("GET", header, "limit=11", null), RECENT_LOGS, "V"));
    assertRefused(
        Refusal.BAD_SIGNATURE,
        authorizer.check(request("GET", header, null, null), RECENT_LOGS, "V"));
    assertTrue(
        authorizer.admit(request("GET", header, "limit=10", null), RECENT_LOGS, "V").allowed());
  }

  @Test
  void shouldRefuseAsBadSignatureWhenSignedWithAnotherSecret() {
    String header =
        new RequestSignature("another secret")
            .header(new Request("GET", "/apps/V/stream", "", SUBPROTOCOL), NOW);
    assertRefused(Refusal.BAD_SIGNATURE, authorizer.admit(stream(header), STREAM, "V"));
  }

  @Test
  void shouldRefuseAsNoCredentialWhenTheSignatureIsMissing() {
    assertRefused(Refusal.NO_CREDENTIAL, authorizer.check(stream(null), STREAM, "V"));
    assertRefused(Refusal.NO_CREDENTIAL, authorizer.admit(stream(null), STREAM, "V"));
    assertRefused(Refusal.NO_CREDENTIAL, authorizer.admit(stream("  "), STREAM, "V"));
  }

  @Test
  void shouldRefuseAsMalformedWhenTheSignatureCannotBeParsed() {
    String good = streamHeader("V", NOW);
    for (String header :
        new String[] {
          "garbage",
          "t=" + NOW,
          "sig=abc",
          good.replace("t=", "T="),
          good.toUpperCase(),
          good + ",extra=1",
          good.substring(0, good.length() - 1),
          good.replace(",n=", ",n=0"),
          "t=-5,n=00112233445566778899aabbccddeeff,sig=" + "0".repeat(64)
        }) {
      assertRefused(Refusal.MALFORMED, authorizer.admit(stream(header), STREAM, "V"));
    }
  }

  @Test
  void shouldRefuseAsExpiredWhenTheSignatureIsMoreThanSixtySecondsAway() {
    assertRefused(
        Refusal.EXPIRED, authorizer.admit(stream(streamHeader("V", NOW - 61)), STREAM, "V"));
    assertRefused(
        Refusal.EXPIRED, authorizer.check(stream(streamHeader("V", NOW + 61)), STREAM, "V"));
    assertTrue(authorizer.admit(stream(streamHeader("V", NOW - 60)), STREAM, "V").allowed());
    assertTrue(authorizer.admit(stream(streamHeader("V", NOW + 60)), STREAM, "V").allowed());
  }

  @Test
  void shouldRefuseAsExpiredWhenAnAdmittedSignatureIsReplayedAfterItsWindow() {
    String header = streamHeader("V", NOW);
    assertTrue(authorizer.admit(stream(header), STREAM, "V").allowed());

    clock.addAndGet(61);

    assertRefused(Refusal.EXPIRED, authorizer.admit(stream(header), STREAM, "V"));
  }

  @Test
  void shouldRefuseAsMalformedWhenTheRequestCarriedTheHeaderMoreThanOnce() {
    RequestCredentials ambiguous =
        new RequestCredentials(
            "GET", "http", "doppler", null, null, null, null, null, SUBPROTOCOL, null, null, true);
    assertRefused(Refusal.MALFORMED, authorizer.check(ambiguous, STREAM, "V"));
    assertRefused(Refusal.MALFORMED, authorizer.admit(ambiguous, STREAM, "V"));

    String header = streamHeader("V", NOW);
    RequestCredentials ambiguousWithValue =
        new RequestCredentials(
            "GET",
            "http",
            "doppler",
            null,
            null,
            null,
            null,
            header,
            SUBPROTOCOL,
            null,
            null,
            true);
    assertRefused(Refusal.MALFORMED, authorizer.admit(ambiguousWithValue, STREAM, "V"));
    assertTrue(authorizer.admit(stream(header), STREAM, "V").allowed(), "nothing was consumed");
  }

  @Test
  void shouldRefuseAsUnknownRouteWhenTheRouteAsksForAnotherCredential() {
    String header = streamHeader("V", NOW);
    for (Credential credential :
        new Credential[] {Credential.PUBLIC, Credential.APP_LOGS, Credential.FIREHOSE}) {
      Route route = Route.webSocket("/apps/{appId}/stream", credential);
      assertRefused(Refusal.UNKNOWN_ROUTE, authorizer.check(stream(header), route, "V"));
      assertRefused(Refusal.UNKNOWN_ROUTE, authorizer.admit(stream(header), route, "V"));
    }
    assertTrue(authorizer.admit(stream(header), STREAM, "V").allowed());
  }

  @Test
  void shouldRefuseAsCapWhenTheReplayCacheIsFullOfValidSignatures() {
    SignatureAuthorizer small = new SignatureAuthorizer(signature, new ReplayCache(2), clock::get);
    assertTrue(small.admit(stream(streamHeader("V", NOW)), STREAM, "V").allowed());
    assertTrue(small.admit(stream(streamHeader("V", NOW)), STREAM, "V").allowed());

    String third = streamHeader("V", NOW);
    Decision full = small.admit(stream(third), STREAM, "V");
    assertRefused(Refusal.CAP, full);
    assertEquals(429, full.refusal().status());
    assertTrue(small.check(stream(third), STREAM, "V").allowed(), "check needs no room");

    clock.addAndGet(61);
    assertTrue(
        small.admit(stream(streamHeader("V", NOW + 61)), STREAM, "V").allowed(),
        "room again once the remembered signatures expired");
  }

  @Test
  void shouldNeverRepeatTheRequestInTheSentenceWhenRefusing() {
    String forW = streamHeader("W", NOW);
    Decision decision = authorizer.admit(stream(forW), STREAM, "V");
    assertFalse(decision.sentence().contains(forW.substring(forW.indexOf("sig=") + 4)));
    assertNull(Decision.ALLOW.refusal());
  }
}
