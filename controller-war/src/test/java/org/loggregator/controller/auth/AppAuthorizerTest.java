package org.loggregator.controller.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loggregator.access.Credential;
import org.loggregator.access.Decision;
import org.loggregator.access.Refusal;
import org.loggregator.access.RequestCredentials;
import org.loggregator.access.Route;

class AppAuthorizerTest {
  private static final RSAKey KEY = TestTokens.rsaKey(2048);
  private static final String HOST = "logs.example.com";
  private static final String OWN = "https://logs.example.com";
  private static final String ALLOWED = "https://dashboard.example.com";
  private static final String FOREIGN = "https://evil.example.com";

  private static final Route STREAM = Route.webSocket("/apps/{appId}/stream", Credential.APP_LOGS);
  private static final Route RECENT =
      Route.http("GET", "/apps/{appId}/recentlogs", Credential.APP_LOGS);
  private static final Route FIREHOSE =
      Route.webSocket("/firehose/{subscriptionId}", Credential.FIREHOSE);
  private static final Route HEALTH = Route.http("GET", "/health", Credential.PUBLIC);
  private static final Route SIGNED =
      Route.http("POST", "/envelopes", Credential.CONTROLLER_SIGNATURE);

  /** A token for app V with the scope logs.read. */
  private static final String APP_V =
      TestTokens.rs256(
          KEY,
          TestTokens.claims(TestTokens.EXPIRES, List.of("V"), List.of(Grant.LOGS_READ)).build());

  /** A token for no app with the scope doppler.firehose. */
  private static final String NOZZLE =
      TestTokens.rs256(
          KEY,
          TestTokens.claims(TestTokens.EXPIRES, List.of(), List.of(Grant.FIREHOSE_SCOPE)).build());

  private final AppAuthorizer authorizer =
      new AppAuthorizer(
          new TokenVerifier(
              new ImmutableJWKSet<>(new JWKSet(KEY.toPublicJWK())),
              TestTokens.settings(),
              TestTokens.clockAt(TestTokens.NOW_MILLIS)),
          new OriginPolicy(List.of(ALLOWED)));

  /** A request over https to {@value #HOST} with these headers, the others absent. */
  private static RequestCredentials request(
      String authorization, String cookieToken, String origin, String fetchSite) {
    return new RequestCredentials(
        "GET",
        "https",
        HOST,
        origin,
        fetchSite,
        authorization,
        cookieToken,
        null,
        null,
        null,
        null,
        false);
  }

  private static RequestCredentials header(String token) {
    return request("bearer " + token, null, null, null);
  }

  private static RequestCredentials cookie(String token, String origin) {
    return request(null, token, origin, null);
  }

  private static void assertAllowed(Decision decision) {
    assertTrue(decision.allowed(), () -> "refused: " + decision);
    assertEquals(Decision.ALLOW, decision);
  }

  private static void assertRefused(Refusal reason, Decision decision) {
    assertFalse(decision.allowed(), "allowed");
    assertEquals(reason, decision.refusal(), decision::sentence);
    assertFalse(decision.sentence().isBlank(), "a refusal says why");
  }

  // --- tokens in the Authorization header ---

  @Test
  void shouldAllowWhenTheHeaderTokenNamesTheAppOfTheRoute() {
    assertAllowed(authorizer.check(header(APP_V), STREAM, "V"));
    assertAllowed(authorizer.check(header(APP_V), RECENT, "V"));
  }

  @Test
  void shouldRefuseAsOtherAppWhenTheHeaderTokenNamesAnotherApp() {
    assertRefused(Refusal.OTHER_APP, authorizer.check(header(APP_V), STREAM, "W"));
    assertRefused(Refusal.OTHER_APP, authorizer.check(header(APP_V), RECENT, "W"));
  }

  @Test
  void shouldRefuseForScopeWhenAFirehoseRouteGetsATokenWithoutTheFirehoseScope() {
    assertRefused(Refusal.SCOPE, authorizer.check(header(APP_V), FIREHOSE, "sub-1"));
  }

  @Test
  void shouldAllowTheFirehoseWhenTheTokenHasTheFirehoseScope() {
    assertAllowed(authorizer.check(header(NOZZLE), FIREHOSE, "sub-1"));
    assertRefused(Refusal.SCOPE, authorizer.check(header(NOZZLE), STREAM, "V"));
  }

  @Test
  void shouldAnswerTheVerifiersRefusalWhenTheTokenDoesNotVerify() {
    String foreign = TestTokens.rs256(TestTokens.rsaKey(2048), TestTokens.usualClaims().build());

    assertRefused(
        Refusal.NO_CREDENTIAL, authorizer.check(request(null, null, null, null), STREAM, "V"));
    assertRefused(Refusal.BAD_SIGNATURE, authorizer.check(header(foreign), STREAM, "V"));
    assertRefused(Refusal.MALFORMED, authorizer.check(header("not-a-token"), FIREHOSE, "s"));
  }

  @Test
  void shouldAllowTheHeaderTokenWhenTheOriginIsForeign() {
    RequestCredentials fromElsewhere = request("bearer " + APP_V, null, FOREIGN, "cross-site");

    assertAllowed(authorizer.check(fromElsewhere, STREAM, "V"));
    assertAllowed(authorizer.check(fromElsewhere, RECENT, "V"));
  }

  @Test
  void shouldUseTheHeaderTokenAndIgnoreTheCookieWhenBothCome() {
    RequestCredentials both = request("bearer " + APP_V, NOZZLE, FOREIGN, null);

    assertAllowed(authorizer.check(both, STREAM, "V"));
    assertRefused(Refusal.SCOPE, authorizer.check(both, FIREHOSE, "sub-1"));
  }

  // --- routes that need no token, or another credential ---

  @Test
  void shouldAllowAPublicRouteWhenTheRequestCarriesNothing() {
    assertAllowed(authorizer.check(request(null, null, null, null), HEALTH, null));
    assertAllowed(authorizer.check(request(null, "x", FOREIGN, "cross-site"), HEALTH, null));
  }

  @Test
  void shouldRefuseAControllerSignatureRouteWhenAskedToAuthorizeIt() {
    RequestCredentials signed =
        new RequestCredentials(
            "POST",
            "https",
            HOST,
            null,
            null,
            "bearer " + APP_V,
            null,
            "sig",
            null,
            null,
            null,
            false);

    assertRefused(Refusal.UNKNOWN_ROUTE, authorizer.check(signed, SIGNED, null));
  }

  @Test
  void shouldRefuseAsMalformedWhenTheCredentialsAreAmbiguous() {
    RequestCredentials twice =
        new RequestCredentials(
            "GET", "https", HOST, OWN, null, "bearer " + APP_V, null, null, null, null, null, true);
    RequestCredentials twoCookies =
        new RequestCredentials(
            "GET", "https", HOST, OWN, null, null, APP_V, null, null, null, null, true);

    assertRefused(Refusal.MALFORMED, authorizer.check(twice, STREAM, "V"));
    assertRefused(Refusal.MALFORMED, authorizer.check(twoCookies, RECENT, "V"));
    assertRefused(Refusal.MALFORMED, authorizer.check(twice, FIREHOSE, "sub-1"));
  }

  // --- tokens in the cookie ---

  @Test
  void shouldRefuseForOriginWhenACookieTokenOpensAWebSocketWithoutOrigin() {
    assertRefused(Refusal.ORIGIN, authorizer.check(cookie(APP_V, null), STREAM, "V"));
    assertRefused(Refusal.ORIGIN, authorizer.check(cookie(NOZZLE, null), FIREHOSE, "sub-1"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        FOREIGN,
        "null",
        "http://logs.example.com",
        "https://logs.example.com:8443",
        "https://logs.example.com.evil.com",
        "http://dashboard.example.com",
        "garbage"
      })
  void shouldRefuseForOriginWhenACookieTokenOpensAWebSocketFromAnotherOrigin(String origin) {
    Decision decision = authorizer.check(cookie(APP_V, origin), STREAM, "V");

    assertRefused(Refusal.ORIGIN, decision);
    assertFalse(decision.sentence().contains(origin), decision::sentence);
  }

  @ParameterizedTest
  @ValueSource(strings = {OWN, "https://LOGS.example.com:443"})
  void shouldAllowWhenACookieTokenOpensAWebSocketFromTheOwnOrigin(String origin) {
    assertAllowed(authorizer.check(cookie(APP_V, origin), STREAM, "V"));
    assertAllowed(authorizer.check(cookie(NOZZLE, origin), FIREHOSE, "sub-1"));
  }

  @Test
  void shouldAllowWhenACookieTokenOpensAWebSocketFromAnAllowListedOrigin() {
    assertAllowed(authorizer.check(cookie(APP_V, ALLOWED), STREAM, "V"));
    assertAllowed(
        authorizer.check(cookie(APP_V, "https://Dashboard.example.com:443"), STREAM, "V"));
  }

  @Test
  void shouldCheckTheOwnOriginAgainstTheRequestsHostWhenTheHostHasAPort() {
    RequestCredentials onPort =
        new RequestCredentials(
            "GET",
            "http",
            "localhost:9080",
            "http://localhost:9080",
            null,
            null,
            APP_V,
            null,
            null,
            null,
            null,
            false);
    RequestCredentials otherPort =
        new RequestCredentials(
            "GET",
            "http",
            "localhost:9080",
            "http://localhost:9081",
            null,
            null,
            APP_V,
            null,
            null,
            null,
            null,
            false);

    assertAllowed(authorizer.check(onPort, STREAM, "V"));
    assertRefused(Refusal.ORIGIN, authorizer.check(otherPort, STREAM, "V"));
  }

  @Test
  void shouldAllowWhenACookieTokenComesOnPlainHttpWithoutOrigin() {
    assertAllowed(authorizer.check(cookie(APP_V, null), RECENT, "V"));
    assertAllowed(authorizer.check(request(null, APP_V, null, "same-origin"), RECENT, "V"));
    assertAllowed(authorizer.check(request(null, APP_V, null, "none"), RECENT, "V"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cross-site", "CROSS-SITE"})
  void shouldRefuseForOriginWhenACookieTokenComesOnPlainHttpMarkedCrossSite(String fetchSite) {
    assertRefused(
        Refusal.ORIGIN, authorizer.check(request(null, APP_V, null, fetchSite), RECENT, "V"));
  }

  @Test
  void shouldRefuseForOriginWhenACookieTokenComesOnPlainHttpFromAForeignOrigin() {
    assertRefused(Refusal.ORIGIN, authorizer.check(cookie(APP_V, FOREIGN), RECENT, "V"));
    assertAllowed(authorizer.check(cookie(APP_V, OWN), RECENT, "V"));
    assertAllowed(authorizer.check(cookie(APP_V, ALLOWED), RECENT, "V"));
  }

  @Test
  void shouldTakeTheCookieTokenWhenTheAuthorizationHeaderIsBlank() {
    RequestCredentials blankHeader = request("  ", APP_V, null, null);

    assertRefused(Refusal.ORIGIN, authorizer.check(blankHeader, STREAM, "V"));
    assertAllowed(authorizer.check(request("", APP_V, OWN, null), STREAM, "V"));
  }

  @Test
  void shouldStillCheckTheTokenWhenTheCookiesOriginIsPermitted() {
    String expired =
        TestTokens.rs256(
            KEY,
            TestTokens.claims(TestTokens.NOW - 3600, List.of("V"), List.of(Grant.LOGS_READ))
                .build());

    assertRefused(Refusal.OTHER_APP, authorizer.check(cookie(APP_V, OWN), STREAM, "W"));
    assertRefused(Refusal.EXPIRED, authorizer.check(cookie(expired, OWN), STREAM, "V"));
    assertRefused(Refusal.MALFORMED, authorizer.check(cookie("a.b.c", OWN), STREAM, "V"));
  }

  @Test
  void shouldLetOnlyAnAdminTokenInTheHeaderUseTheAdminApi() {
    Route admin = Route.http("PUT", "/admin/apps/{appId}/drains", Credential.ADMIN);
    String operator =
        TestTokens.rs256(
            KEY,
            TestTokens.claims(
                    TestTokens.EXPIRES, List.of(), List.of(Grant.LOGS_READ, Grant.ADMIN_SCOPE))
                .build());

    assertEquals(Decision.ALLOW, authorizer.check(header(operator), admin, "V"));
    assertEquals(Refusal.SCOPE, authorizer.check(header(APP_V), admin, "V").refusal());
    assertEquals(Refusal.SCOPE, authorizer.check(header(NOZZLE), admin, "V").refusal());
    assertEquals(
        Refusal.NO_CREDENTIAL,
        authorizer.check(request(null, operator, "https://" + HOST, null), admin, "V").refusal(),
        "never by cookie: a page elsewhere could post in an operator's name");
  }
}
