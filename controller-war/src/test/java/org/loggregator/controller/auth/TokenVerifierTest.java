package org.loggregator.controller.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loggregator.controller.auth.TestTokens.EXPIRES;
import static org.loggregator.controller.auth.TestTokens.ISSUER;
import static org.loggregator.controller.auth.TestTokens.NOW;
import static org.loggregator.controller.auth.TestTokens.NOW_MILLIS;
import static org.loggregator.controller.auth.TestTokens.SKEW;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loggregator.access.Refusal;
import org.loggregator.controller.config.TokenSettings;

class TokenVerifierTest {
  private static final RSAKey RSA = TestTokens.rsaKey(2048);
  private static final RSAKey OTHER_RSA = TestTokens.rsaKey(2048);
  private static final ECKey EC = TestTokens.ecKey(Curve.P_256);
  private static final ECKey OTHER_EC = TestTokens.ecKey(Curve.P_256);
  private static final ECKey EC_P384 = TestTokens.ecKey(Curve.P_384);
  private static final byte[] HMAC_SECRET =
      "a shared secret of more than thirty-two bytes".getBytes(StandardCharsets.UTF_8);

  /**
   * The keys the server trusts: the RSA and P-256 keys, and also a P-384 key and an HMAC secret, so
   * that the tokens they sign are refused for their algorithm, not for a missing key.
   */
  private static final ImmutableJWKSet<SecurityContext> KEYS =
      new ImmutableJWKSet<>(
          new JWKSet(
              List.<JWK>of(
                  RSA.toPublicJWK(),
                  EC.toPublicJWK(),
                  EC_P384.toPublicJWK(),
                  new OctetSequenceKey.Builder(HMAC_SECRET).build())));

  private final TokenVerifier verifier = verifierAt(NOW_MILLIS);

  private static TokenVerifier verifierAt(long millis) {
    return new TokenVerifier(KEYS, TestTokens.settings(), TestTokens.clockAt(millis));
  }

  private static JWTClaimsSet usualClaims() {
    return TestTokens.usualClaims().build();
  }

  private static String usualToken() {
    return TestTokens.rs256(RSA, usualClaims());
  }

  private static JWTClaimsSet.Builder with(JWTClaimsSet claims) {
    return new JWTClaimsSet.Builder(claims);
  }

  /**
   * Verifies a credential that must be refused for {@code reason}, and checks the message a client
   * would see: one sentence, never echoing the token or any part of it.
   */
  static String refusal(TokenVerifier verifier, String credential, Refusal reason) {
    TokenRefusedException e =
        assertThrows(TokenRefusedException.class, () -> verifier.verify(credential));
    assertEquals(reason, e.reason(), () -> "refused for another reason: " + e.getMessage());
    assertEquals(reason, e.decision().refusal());
    String message = e.getMessage();
    assertEquals(message, e.decision().sentence());
    assertTrue(message != null && !message.isBlank(), "a refusal says why");
    assertTrue(message.endsWith("."), () -> "one sentence, ending in a full stop: " + message);
    assertFalse(message.contains("\n"), () -> "one line: " + message);
    assertFalse(
        message.substring(0, message.length() - 1).matches(".*[.!?]\\s+[A-Z].*"),
        () -> "one sentence: " + message);
    String token = credential == null ? "" : credential.trim().replaceFirst("(?i)^bearer\\s+", "");
    if (!token.isBlank() && !token.equalsIgnoreCase("bearer")) {
      assertFalse(message.contains(token), () -> "the token leaked: " + message);
      for (String part : token.split("\\.")) {
        if (part.length() >= 8) {
          assertFalse(message.contains(part), () -> "part of the token leaked: " + message);
        }
      }
    }
    return message;
  }

  private String refusal(String credential, Refusal reason) {
    return refusal(verifier, credential, reason);
  }

  // --- accepted tokens and what they grant ---

  @Test
  void shouldGrantTheAppIdsAndScopesWhenAnRs256TokenIsValid() throws Exception {
    String token =
        TestTokens.rs256(
            RSA,
            TestTokens.claims(
                    EXPIRES, List.of("app-1", "app-2"), List.of("logs.read", Grant.FIREHOSE_SCOPE))
                .build());

    Grant grant = verifier.verify("bearer " + token);

    assertEquals("developer", grant.subject());
    assertEquals(Set.of("app-1", "app-2"), grant.appIds());
    assertEquals(Set.of("logs.read", Grant.FIREHOSE_SCOPE), grant.scopes());
  }

  @Test
  void shouldGrantTheAppIdsAndScopesWhenAnEs256TokenOnP256IsValid() throws Exception {
    Grant grant = verifier.verify("bearer " + TestTokens.es256(EC, usualClaims()));

    assertEquals(Set.of("app-1", "app-2"), grant.appIds());
    assertEquals(Set.of(Grant.LOGS_READ), grant.scopes());
  }

  @Test
  void shouldGrantAnEmptySubjectWhenTheTokenHasNoSubject() throws Exception {
    Grant grant = verifier.verify(TestTokens.rs256(RSA, with(usualClaims()).subject(null).build()));

    assertEquals("", grant.subject());
  }

  @Test
  void shouldReadTheScopesWhenTheScopeClaimIsASpaceSeparatedString() throws Exception {
    JWTClaimsSet claims =
        with(usualClaims())
            .claim("scope", " logs.read  doppler.firehose\tloggregator.admin ")
            .build();

    Grant grant = verifier.verify(TestTokens.rs256(RSA, claims));

    assertEquals(Set.of("logs.read", "doppler.firehose", "loggregator.admin"), grant.scopes());
  }

  @Test
  void shouldReadTheAppIdsWhenTheAppIdsClaimIsASpaceSeparatedString() throws Exception {
    JWTClaimsSet claims = with(usualClaims()).claim("app_ids", "app-1 app-7").build();

    Grant grant = verifier.verify(TestTokens.rs256(RSA, claims));

    assertEquals(Set.of("app-1", "app-7"), grant.appIds());
  }

  @Test
  void shouldReadTheAppIdsFromTheConfiguredClaimWhenTheClaimNameIsChanged() throws Exception {
    TokenVerifier custom =
        new TokenVerifier(KEYS, TestTokens.settings("cf:apps"), TestTokens.clockAt(NOW_MILLIS));
    JWTClaimsSet asArray =
        with(usualClaims())
            .claim("cf:apps", List.of("app-8", "app-9"))
            .claim("app_ids", List.of("app-1"))
            .build();
    JWTClaimsSet asString = with(usualClaims()).claim("cf:apps", "app-8 app-9").build();

    assertEquals(Set.of("app-8", "app-9"), custom.verify(TestTokens.rs256(RSA, asArray)).appIds());
    assertEquals(Set.of("app-8", "app-9"), custom.verify(TestTokens.rs256(RSA, asString)).appIds());
    assertEquals(Set.of(), custom.verify(usualToken()).appIds());
  }

  @Test
  void shouldGrantNoAppsOrScopesWhenTheClaimsAreAbsentOrNotStrings() throws Exception {
    JWTClaimsSet absent = with(usualClaims()).claim("app_ids", null).claim("scope", null).build();
    JWTClaimsSet numbers =
        with(usualClaims()).claim("app_ids", List.of(7, "app-1", true)).claim("scope", 42).build();

    Grant none = verifier.verify(TestTokens.rs256(RSA, absent));
    Grant some = verifier.verify(TestTokens.rs256(RSA, numbers));

    assertEquals(Set.of(), none.appIds());
    assertEquals(Set.of(), none.scopes());
    assertEquals(Set.of("app-1"), some.appIds());
    assertEquals(Set.of(), some.scopes());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bearer ", "Bearer ", "BEARER ", "", "  bearer   "})
  void shouldAcceptTheTokenWhenItComesWithAnyBearerPrefixOrNone(String prefix) throws Exception {
    Grant grant = verifier.verify(prefix + usualToken());

    assertEquals(Set.of("app-1", "app-2"), grant.appIds());
  }

  @Test
  void shouldAcceptTheTokenWhenTheTypIsJwtOrAtJwtOrAbsent() throws Exception {
    JWSHeader jwt = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build();
    JWSHeader atJwt =
        new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt")).build();
    JWSHeader none = new JWSHeader.Builder(JWSAlgorithm.RS256).build();

    for (JWSHeader header : List.of(jwt, atJwt, none)) {
      String token = TestTokens.sign(header, TestTokens.rsaSigner(RSA), usualClaims());
      assertEquals(Set.of("app-1", "app-2"), verifier.verify(token).appIds(), header::toString);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"JOSE", "id+jwt", "logout+jwt", "application/json"})
  void shouldRefuseWhenTheTypIsAnotherType(String typ) {
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType(typ)).build();

    refusal(
        TestTokens.sign(header, TestTokens.rsaSigner(RSA), usualClaims()), Refusal.BAD_SIGNATURE);
  }

  // --- no credential, or not a JWT ---

  @Test
  void shouldRefuseWithNoCredentialWhenTheCredentialIsMissing() {
    assertTrue(refusal(null, Refusal.NO_CREDENTIAL).contains("bearer"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\t"})
  void shouldRefuseWithNoCredentialWhenTheCredentialIsBlank(String credential) {
    refusal(credential, Refusal.NO_CREDENTIAL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bearer", "bearer abc", "bearer abc.def", "a.b.c.d"})
  void shouldRefuseAsMalformedWhenTheTokenIsNotThreeParts(String credential) {
    assertTrue(refusal(credential, Refusal.MALFORMED).contains("not a JWT"));
  }

  @Test
  void shouldRefuseAsMalformedWhenAValidTokenHasAFourthPart() {
    assertTrue(refusal(usualToken() + ".extra", Refusal.MALFORMED).contains("not a JWT"));
  }

  @Test
  void shouldRefuseAsMalformedWhenTheTokenIsLongerThan8192Characters() {
    JWTClaimsSet padded = with(usualClaims()).claim("padding", "x".repeat(9000)).build();
    String token = TestTokens.rs256(RSA, padded);
    assertTrue(token.length() > TokenVerifier.MAX_TOKEN_CHARS);

    assertTrue(refusal(token, Refusal.MALFORMED).contains("8 KiB"));
  }

  @Test
  void shouldAcceptTheTokenWhenItIsLongButWithin8192Characters() throws Exception {
    JWTClaimsSet padded = with(usualClaims()).claim("padding", "x".repeat(5000)).build();
    String token = TestTokens.rs256(RSA, padded);
    assertTrue(token.length() > 7000 && token.length() <= TokenVerifier.MAX_TOKEN_CHARS);

    assertEquals(Set.of("app-1", "app-2"), verifier.verify(token).appIds());
  }

  @Test
  void shouldRefuseAsMalformedWhenAPartIsNotBase64url() {
    String token = usualToken();
    String[] parts = token.split("\\.");

    refusal(parts[0] + "*!" + "." + parts[1] + "." + parts[2], Refusal.MALFORMED);
    refusal(parts[0] + "." + parts[1] + "." + parts[2] + "+/=", Refusal.MALFORMED);
    refusal(TestTokens.signParts(RSA, parts[0], "%%%" + parts[1]), Refusal.MALFORMED);
    refusal(
        parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + "%" + parts[2].substring(10),
        Refusal.MALFORMED);
  }

  @Test
  void shouldRefuseAsMalformedWhenAValidTokenIsPaddedOrHasExtraCharacters() {
    String token = usualToken();

    refusal(token + "==", Refusal.MALFORMED);
    refusal(token + "!!", Refusal.MALFORMED);
    refusal(token.replace(".", ". "), Refusal.MALFORMED);
  }

  @Test
  void shouldRefuseAsMalformedWhenTheHeaderIsNotJson() {
    String[] parts = usualToken().split("\\.");

    refusal(
        TestTokens.encode("not json at all") + "." + parts[1] + "." + parts[2], Refusal.MALFORMED);
    refusal(TestTokens.encode("[\"RS256\"]") + "." + parts[1] + "." + parts[2], Refusal.MALFORMED);
  }

  @Test
  void shouldRefuseAsMalformedWhenTheClaimsAreNotJsonEvenIfSigned() {
    refusal(TestTokens.signRs256(RSA, TestTokens.RS256_HEADER, "not json"), Refusal.MALFORMED);
    refusal(TestTokens.signRs256(RSA, TestTokens.RS256_HEADER, "{\"iss\":"), Refusal.MALFORMED);
    refusal(TestTokens.signRs256(RSA, TestTokens.RS256_HEADER, "[1,2]"), Refusal.MALFORMED);
  }

  @Test
  void shouldRefuseAsMalformedWhenAClaimHasTheWrongTypeEvenIfSigned() {
    String stringExpiry = "{\"iss\":\"loggregator\",\"aud\":\"loggregator\",\"exp\":\"tomorrow\"}";

    refusal(TestTokens.signRs256(RSA, TestTokens.RS256_HEADER, stringExpiry), Refusal.MALFORMED);
  }

  @Test
  void shouldRefuseAsMalformedWhenTheTokenHasNoExpiry() {
    JWTClaimsSet claims = with(usualClaims()).expirationTime(null).build();

    assertTrue(refusal(TestTokens.rs256(RSA, claims), Refusal.MALFORMED).contains("exp"));
  }

  // --- signatures and algorithms ---

  @Test
  void shouldRefuseWithBadSignatureWhenTheAlgorithmIsNone() {
    String message = refusal(TestTokens.unsecured(usualClaims()), Refusal.BAD_SIGNATURE);

    assertTrue(message.contains("RS256"), message);
  }

  @Test
  void shouldRefuseWithBadSignatureWhenTheTokenIsSignedHs256WithThePublicKeyAsSecret()
      throws Exception {
    byte[] publicKeyBytes = RSA.toPublicKey().getEncoded();
    String withMacSigner =
        TestTokens.sign(
            TestTokens.header(JWSAlgorithm.HS256, null),
            new MACSigner(publicKeyBytes),
            usualClaims());

    refusal(withMacSigner, Refusal.BAD_SIGNATURE);
    refusal(TestTokens.hs256(publicKeyBytes, usualClaims()), Refusal.BAD_SIGNATURE);
    refusal(
        TestTokens.hs256("secret".getBytes(StandardCharsets.UTF_8), usualClaims()),
        Refusal.BAD_SIGNATURE);
  }

  @Test
  void shouldRefuseWithBadSignatureWhenTheTokenIsHs256EvenWithATrustedSecret() throws Exception {
    String token =
        TestTokens.sign(
            TestTokens.header(JWSAlgorithm.HS256, null), new MACSigner(HMAC_SECRET), usualClaims());

    refusal(token, Refusal.BAD_SIGNATURE);
  }

  @Test
  void shouldRefuseWithBadSignatureWhenTheTokenIsEs384EvenWithATrustedKey() {
    String token =
        TestTokens.sign(
            TestTokens.header(JWSAlgorithm.ES384, null),
            TestTokens.ecSigner(EC_P384),
            usualClaims());

    refusal(token, Refusal.BAD_SIGNATURE);
  }

  @Test
  void shouldRefuseWithBadSignatureWhenTheTokenIsPs256EvenWithTheTrustedKey() {
    String token =
        TestTokens.sign(
            TestTokens.header(JWSAlgorithm.PS256, null), TestTokens.rsaSigner(RSA), usualClaims());

    refusal(token, Refusal.BAD_SIGNATURE);
  }

  @Test
  void shouldRefuseWithBadSignatureWhenTheTokenIsSignedByAnotherKey() {
    refusal(TestTokens.rs256(OTHER_RSA, usualClaims()), Refusal.BAD_SIGNATURE);
    refusal(TestTokens.es256(OTHER_EC, usualClaims()), Refusal.BAD_SIGNATURE);
  }

  @Test
  void shouldRefuseWithBadSignatureWhenThePayloadWasTamperedWith() {
    JWTClaimsSet widened =
        TestTokens.claims(EXPIRES, List.of("app-1", "app-2"), List.of(Grant.ADMIN_SCOPE)).build();

    refusal(TestTokens.tampered(usualToken(), widened), Refusal.BAD_SIGNATURE);
    refusal(
        TestTokens.tampered(TestTokens.es256(EC, usualClaims()), widened), Refusal.BAD_SIGNATURE);
  }

  @Test
  void shouldRefuseWithBadSignatureWhenTheSignatureIsTruncated() {
    refusal(TestTokens.truncated(usualToken(), 10), Refusal.BAD_SIGNATURE);
    refusal(TestTokens.truncated(TestTokens.es256(EC, usualClaims()), 10), Refusal.BAD_SIGNATURE);
  }

  @Test
  void shouldRefuseAsMalformedWhenASignedTokenHasAnEmptySignature() {
    String token = usualToken();

    refusal(token.substring(0, token.lastIndexOf('.') + 1), Refusal.MALFORMED);
  }

  @Test
  void shouldAcceptAnEs256TokenWhenTheKeySetAlsoHoldsKeysOfOtherCurves() throws Exception {
    ImmutableJWKSet<SecurityContext> mixed =
        new ImmutableJWKSet<>(
            new JWKSet(
                List.<JWK>of(
                    EC_P384.toPublicJWK(),
                    TestTokens.ecKey(Curve.P_521).toPublicJWK(),
                    OTHER_EC.toPublicJWK(),
                    EC.toPublicJWK())));
    TokenVerifier verifier =
        new TokenVerifier(mixed, TestTokens.settings(), TestTokens.clockAt(NOW_MILLIS));

    assertEquals(
        Set.of("app-1", "app-2"), verifier.verify(TestTokens.es256(EC, usualClaims())).appIds());
    refusal(
        verifier,
        TestTokens.es256(TestTokens.ecKey(Curve.P_256), usualClaims()),
        Refusal.BAD_SIGNATURE);
  }

  @Test
  void shouldNeverEchoTheTokenWhenTheSignatureDoesNotVerify() {
    String[] parts = usualToken().split("\\.");
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    signature[0] ^= 1;
    String forged =
        parts[0]
            + "."
            + parts[1]
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);

    String message = refusal("Bearer " + forged, Refusal.BAD_SIGNATURE);

    assertTrue(message.contains("signature"), message);
  }

  // --- grants kept a while ---

  /** A key source that counts how often it is asked for keys (once per signature verified). */
  private static final class CountingKeys implements JWKSource<SecurityContext> {
    final AtomicInteger asked = new AtomicInteger();

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
      asked.incrementAndGet();
      return KEYS.get(selector, context);
    }
  }

  @Test
  void shouldVerifyTheSignatureOnceWhenTheSameTokenComesAgainWithAnyPrefix() throws Exception {
    CountingKeys keys = new CountingKeys();
    TokenVerifier kept =
        new TokenVerifier(keys, TestTokens.settings(), TestTokens.clockAt(NOW_MILLIS));
    String token = usualToken();

    Grant first = kept.verify(token);
    Grant again = kept.verify("Bearer " + token);
    Grant third = kept.verify("bearer  " + token + " ");

    assertEquals(1, keys.asked.get());
    assertEquals(first, again);
    assertEquals(first, third);
  }

  @Test
  void shouldStillRefuseAForgedOrTamperedTokenWhenItsGenuineOneWasVerified() throws Exception {
    String token = usualToken();
    verifier.verify(token);
    String[] parts = token.split("\\.");
    String otherApps =
        TestTokens.rs256(
                RSA,
                with(usualClaims()).claim(TestTokens.settings().appIdsClaim(), "app-3").build())
            .split("\\.")[1];

    refusal(TestTokens.rs256(OTHER_RSA, usualClaims()), Refusal.BAD_SIGNATURE);
    refusal(parts[0] + "." + otherApps + "." + parts[2], Refusal.BAD_SIGNATURE);
    refusal(parts[0] + "." + parts[1] + "." + parts[2].substring(4), Refusal.BAD_SIGNATURE);
    refusal(token + "=", Refusal.MALFORMED);
  }

  @Test
  void shouldRefuseAsExpiredWhenAKeptTokenExpiresAfterItWasVerified() throws Exception {
    AtomicLong clock = new AtomicLong(NOW_MILLIS);
    TokenVerifier kept = new TokenVerifier(KEYS, TestTokens.settings(), clock::get);
    String token =
        TestTokens.rs256(
            RSA, with(usualClaims()).expirationTime(new Date((NOW + 10) * 1000)).build());
    kept.verify(token);

    clock.set((NOW + 10 + SKEW) * 1000);

    refusal(kept, token, Refusal.EXPIRED);
  }

  @Test
  void shouldVerifyTheSignatureAgainWhenTheTokenWasKeptForItsLifetime() throws Exception {
    CountingKeys keys = new CountingKeys();
    AtomicLong clock = new AtomicLong(NOW_MILLIS);
    TokenVerifier kept = new TokenVerifier(keys, TestTokens.settings(), clock::get);
    String token = usualToken();
    kept.verify(token);

    clock.addAndGet(VerifiedTokens.LIFETIME_MILLIS - 1);
    kept.verify(token);
    assertEquals(1, keys.asked.get());
    clock.addAndGet(1);
    kept.verify(token);

    assertEquals(2, keys.asked.get());
  }

  @Test
  void shouldVerifyARefusedTokenAgainEachTimeItComes() {
    CountingKeys keys = new CountingKeys();
    TokenVerifier kept =
        new TokenVerifier(keys, TestTokens.settings(), TestTokens.clockAt(NOW_MILLIS));
    String token = TestTokens.rs256(OTHER_RSA, usualClaims());

    refusal(kept, token, Refusal.BAD_SIGNATURE);
    refusal(kept, token, Refusal.BAD_SIGNATURE);

    assertEquals(2, keys.asked.get());
  }

  // --- time ---

  @Test
  void shouldRefuseAsExpiredWhenTheTokenExpiredBeyondTheClockSkew() {
    String token = usualToken();

    refusal(verifierAt((EXPIRES + SKEW + 1) * 1000), token, Refusal.EXPIRED);
    refusal(verifierAt((EXPIRES + SKEW) * 1000), token, Refusal.EXPIRED);
    refusal(verifierAt((EXPIRES + 86_400) * 1000), token, Refusal.EXPIRED);
  }

  @Test
  void shouldAcceptWhenTheTokenExpiredWithinTheClockSkew() throws Exception {
    String token = usualToken();

    assertEquals(Set.of("app-1", "app-2"), verifierAt(EXPIRES * 1000).verify(token).appIds());
    assertEquals(Set.of("app-1", "app-2"), verifierAt((EXPIRES + 1) * 1000).verify(token).appIds());
    assertEquals(
        Set.of("app-1", "app-2"), verifierAt((EXPIRES + SKEW) * 1000 - 1).verify(token).appIds());
  }

  @Test
  void shouldRefuseAsExpiredWhenNotBeforeIsInTheFutureBeyondTheClockSkew() {
    JWTClaimsSet claims = with(usualClaims()).notBeforeTime(new Date((NOW + 600) * 1000)).build();
    JWTClaimsSet justBeyond =
        with(usualClaims()).notBeforeTime(new Date((NOW + SKEW + 1) * 1000)).build();

    assertTrue(refusal(TestTokens.rs256(RSA, claims), Refusal.EXPIRED).contains("nbf"));
    refusal(TestTokens.rs256(RSA, justBeyond), Refusal.EXPIRED);
  }

  @Test
  void shouldAcceptWhenNotBeforeIsWithinTheClockSkew() throws Exception {
    JWTClaimsSet claims = with(usualClaims()).notBeforeTime(new Date((NOW + SKEW) * 1000)).build();

    Grant grant = verifier.verify(TestTokens.rs256(RSA, claims));

    assertEquals(Set.of("app-1", "app-2"), grant.appIds());
  }

  // --- issuer and audience ---

  @Test
  void shouldRefuseWithIssuerWhenTheIssuerIsAnother() {
    String token = TestTokens.rs256(RSA, with(usualClaims()).issuer("someone-else").build());

    String message = refusal(token, Refusal.ISSUER);

    assertTrue(message.contains(ISSUER), message);
  }

  @Test
  void shouldRefuseWithIssuerWhenTheIssuerIsMissing() {
    refusal(TestTokens.rs256(RSA, with(usualClaims()).issuer(null).build()), Refusal.ISSUER);
  }

  @Test
  void shouldRefuseWithAudienceWhenTheAudienceIsMissing() {
    String token = TestTokens.rs256(RSA, with(usualClaims()).audience((String) null).build());

    String message = refusal(token, Refusal.AUDIENCE);

    assertTrue(message.contains("aud"), message);
  }

  @Test
  void shouldRefuseWithAudienceWhenTheAudienceIsAnother() {
    refusal(
        TestTokens.rs256(RSA, with(usualClaims()).audience("another-api").build()),
        Refusal.AUDIENCE);
    refusal(
        TestTokens.rs256(RSA, with(usualClaims()).audience(List.of("a", "b")).build()),
        Refusal.AUDIENCE);
    refusal(
        TestTokens.rs256(RSA, with(usualClaims()).audience("LOGGREGATOR").build()),
        Refusal.AUDIENCE);
  }

  @Test
  void shouldAcceptWhenTheAudienceListContainsAnAcceptedOne() throws Exception {
    String listed =
        TestTokens.rs256(
            RSA, with(usualClaims()).audience(List.of("another-api", "loggregator")).build());
    String second = TestTokens.rs256(RSA, with(usualClaims()).audience("logs-api").build());

    assertEquals(Set.of("app-1", "app-2"), verifier.verify(listed).appIds());
    assertEquals(Set.of("app-1", "app-2"), verifier.verify(second).appIds());
  }

  // --- keys ---

  @Test
  void shouldRefuseWithKeysUnavailableWhenTheJwksUrlRefusesConnections() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    TokenVerifier remote =
        new TokenVerifier(
            TokenKeys.remote(URI.create("http://127.0.0.1:" + closedPort + "/jwks.json")),
            TestTokens.settings(),
            TestTokens.clockAt(NOW_MILLIS));

    String message = refusal(remote, usualToken(), Refusal.KEYS_UNAVAILABLE);

    assertTrue(message.contains("retry"), message);
  }

  @Test
  void shouldAcceptTokensOfTheOtherSettingsWhenBuiltFromTokenSettings() throws Exception {
    TokenSettings settings =
        new TokenSettings(
            "unused.pem",
            null,
            false,
            "https://uaa.example.com/oauth/token",
            List.of("cf"),
            java.time.Duration.ZERO,
            "app_ids");
    TokenVerifier strict = new TokenVerifier(KEYS, settings, TestTokens.clockAt(NOW_MILLIS));
    JWTClaimsSet claims =
        with(usualClaims()).issuer("https://uaa.example.com/oauth/token").audience("cf").build();

    assertEquals(Set.of("app-1", "app-2"), strict.verify(TestTokens.rs256(RSA, claims)).appIds());
    refusal(strict, usualToken(), Refusal.ISSUER);
    refusal(
        new TokenVerifier(KEYS, settings, TestTokens.clockAt(EXPIRES * 1000)),
        TestTokens.rs256(RSA, claims),
        Refusal.EXPIRED);
  }
}
