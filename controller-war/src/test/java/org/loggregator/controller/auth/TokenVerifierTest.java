package org.loggregator.controller.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loggregator.auth.PemKeys;

class TokenVerifierTest {
  private static final String ISSUER = "loggregator";
  private static final long NOW = 1_700_000_000L;
  private static final long SKEW = 60;
  private static final KeyPair KEYS = PemKeys.generate();
  private static final KeyPair OTHER_KEYS = PemKeys.generate();

  private final TokenVerifier verifier = new TokenVerifier(KEYS.getPublic(), ISSUER);

  private static JsonObject usualClaims() {
    return TestTokens.claims(ISSUER, NOW + 3600, List.of("app-1", "app-2"), List.of("logs.read"))
        .build();
  }

  private static String usualToken() {
    return TestTokens.rs256(KEYS.getPrivate(), usualClaims());
  }

  /** Verifies a credential that must be refused, and checks the message a client would see. */
  private String refusal(String credential, long now) {
    TokenRefusedException e =
        assertThrows(TokenRefusedException.class, () -> verifier.verify(credential, now));
    String message = e.getMessage();
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

  private String refusal(String credential) {
    return refusal(credential, NOW);
  }

  @Test
  void shouldGrantTheAppIdsAndScopesWhenTheTokenIsValid() throws Exception {
    String token =
        TestTokens.rs256(
            KEYS.getPrivate(),
            TestTokens.claims(
                    ISSUER,
                    NOW + 3600,
                    List.of("app-1", "app-2"),
                    List.of("logs.read", Grant.FIREHOSE_SCOPE))
                .build());

    Grant grant = verifier.verify("bearer " + token, NOW);

    assertEquals("developer", grant.subject());
    assertEquals(Set.of("app-1", "app-2"), grant.appIds());
    assertEquals(Set.of("logs.read", Grant.FIREHOSE_SCOPE), grant.scopes());
  }

  @Test
  void shouldReadTheScopesWhenTheScopeClaimIsASpaceSeparatedString() throws Exception {
    JsonObject claims =
        TestTokens.claims(ISSUER, NOW + 3600, List.of("app-1"), List.of())
            .add("scope", "logs.read  doppler.firehose loggregator.admin")
            .build();

    Grant grant = verifier.verify(TestTokens.rs256(KEYS.getPrivate(), claims), NOW);

    assertEquals(Set.of("logs.read", "doppler.firehose", "loggregator.admin"), grant.scopes());
    assertEquals(Set.of("app-1"), grant.appIds());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bearer ", "Bearer ", "BEARER ", "", "  bearer   "})
  void shouldAcceptTheTokenWhenItComesWithAnyBearerPrefixOrNone(String prefix) throws Exception {
    Grant grant = verifier.verify(prefix + usualToken(), NOW);

    assertEquals(Set.of("app-1", "app-2"), grant.appIds());
  }

  @Test
  void shouldRefuseWhenTheCredentialIsMissing() {
    assertTrue(refusal(null).contains("bearer"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\t"})
  void shouldRefuseWhenTheCredentialIsBlank(String credential) {
    refusal(credential);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bearer", "bearer abc", "bearer abc.def", "a.b.c.d"})
  void shouldRefuseWhenTheTokenIsNotThreeParts(String credential) {
    assertTrue(refusal(credential).contains("not a JWT"));
  }

  @Test
  void shouldRefuseWhenAValidTokenHasAFourthPart() {
    assertTrue(refusal(usualToken() + ".extra").contains("not a JWT"));
  }

  @Test
  void shouldRefuseWhenAPartIsNotBase64url() {
    String[] parts = usualToken().split("\\.");

    assertTrue(refusal(parts[0] + "*!" + "." + parts[1] + "." + parts[2]).contains("header"));
    assertTrue(refusal(parts[0] + "." + parts[1] + "." + parts[2] + "+/=").contains("base64url"));
    String claimsNotBase64 = TestTokens.signParts(KEYS.getPrivate(), parts[0], "%%%" + parts[1]);
    assertTrue(refusal(claimsNotBase64).contains("claims"));
  }

  @Test
  void shouldRefuseWhenTheHeaderIsNotJson() {
    String[] parts = usualToken().split("\\.");

    refusal(TestTokens.encode("not json at all") + "." + parts[1] + "." + parts[2]);
    refusal(TestTokens.encode("[\"RS256\"]") + "." + parts[1] + "." + parts[2]);
  }

  @Test
  void shouldRefuseWhenTheClaimsAreNotJsonEvenIfSigned() {
    refusal(TestTokens.signRs256(KEYS.getPrivate(), TestTokens.RS256_HEADER, "not json"));
    refusal(TestTokens.signRs256(KEYS.getPrivate(), TestTokens.RS256_HEADER, "{\"iss\":"));
  }

  @Test
  void shouldRefuseWhenTheAlgorithmIsNone() {
    String message = refusal(TestTokens.unsecured(usualClaims()));

    assertTrue(message.contains("RS256"), message);
  }

  @Test
  void shouldRefuseWhenTheTokenIsSignedHs256EvenWithThePublicKeyAsSecret() {
    refusal(TestTokens.hs256(KEYS.getPublic().getEncoded(), usualClaims()));
    refusal(TestTokens.hs256("secret".getBytes(StandardCharsets.UTF_8), usualClaims()));
  }

  @Test
  void shouldRefuseWhenTheTokenIsSignedByAnotherKey() {
    refusal(TestTokens.rs256(OTHER_KEYS.getPrivate(), usualClaims()));
  }

  @Test
  void shouldRefuseWhenThePayloadWasTamperedWith() {
    String[] parts = usualToken().split("\\.");
    JsonObject widened =
        TestTokens.claims(ISSUER, NOW + 3600, List.of("app-1", "app-2"), List.of(Grant.ADMIN_SCOPE))
            .build();

    refusal(parts[0] + "." + TestTokens.encode(widened.toString()) + "." + parts[2]);
  }

  @Test
  void shouldRefuseWhenTheSignatureIsTruncated() {
    String token = usualToken();

    refusal(token.substring(0, token.length() - 10));
  }

  @Test
  void shouldRefuseWhenTheIssuerIsAnother() {
    String token =
        TestTokens.rs256(
            KEYS.getPrivate(),
            TestTokens.claims("someone-else", NOW + 3600, List.of("app-1"), List.of()).build());

    String message = refusal(token);

    assertTrue(message.contains(ISSUER), message);
  }

  @Test
  void shouldRefuseWhenTheIssuerIsMissing() {
    JsonObject claims = jakarta.json.Json.createObjectBuilder(usualClaims()).remove("iss").build();

    refusal(TestTokens.rs256(KEYS.getPrivate(), claims));
  }

  @Test
  void shouldRefuseWhenTheTokenHasNoExpiry() {
    JsonObject claims = jakarta.json.Json.createObjectBuilder(usualClaims()).remove("exp").build();

    assertTrue(refusal(TestTokens.rs256(KEYS.getPrivate(), claims)).contains("exp"));
  }

  @Test
  void shouldRefuseWhenTheTokenExpiredBeyondTheClockSkew() {
    String token = usualToken();
    long exp = NOW + 3600;

    refusal(token, exp + SKEW + 1);
    refusal(token, exp + 86_400);
  }

  @Test
  void shouldAcceptWhenTheTokenExpiredWithinTheClockSkew() throws Exception {
    String token = usualToken();
    long exp = NOW + 3600;

    assertEquals(Set.of("app-1", "app-2"), verifier.verify(token, exp + 1).appIds());
    assertEquals(Set.of("app-1", "app-2"), verifier.verify(token, exp + SKEW).appIds());
  }

  @Test
  void shouldRefuseWhenTheTokenIsNotValidYet() {
    JsonObject claims =
        jakarta.json.Json.createObjectBuilder(usualClaims()).add("nbf", NOW + 600).build();

    refusal(TestTokens.rs256(KEYS.getPrivate(), claims));
  }

  @Test
  void shouldAcceptWhenNotBeforeIsWithinTheClockSkew() throws Exception {
    JsonObject claims =
        jakarta.json.Json.createObjectBuilder(usualClaims()).add("nbf", NOW + SKEW).build();

    Grant grant = verifier.verify(TestTokens.rs256(KEYS.getPrivate(), claims), NOW);

    assertEquals(Set.of("app-1", "app-2"), grant.appIds());
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

    String message = refusal("Bearer " + forged);

    assertTrue(message.contains("signature"), message);
  }
}
