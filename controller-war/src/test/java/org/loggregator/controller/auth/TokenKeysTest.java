package org.loggregator.controller.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loggregator.access.Refusal;
import org.loggregator.auth.PemKeys;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.controller.config.TokenSettings;

class TokenKeysTest {
  private static final RSAKey OLD_RSA = TestTokens.rsaKey(2048);
  private static final ECKey NEW_EC = TestTokens.ecKey(Curve.P_256);

  @TempDir Path dir;

  private static TokenSettings pemSettings(Path file, boolean generateDevKeys) {
    return new TokenSettings(
        file.toString(),
        null,
        generateDevKeys,
        TestTokens.ISSUER,
        List.of(TestTokens.AUDIENCE),
        Duration.ofSeconds(TestTokens.SKEW),
        "app_ids");
  }

  private static TokenVerifier verifierOf(JWKSource<SecurityContext> keys) {
    return new TokenVerifier(
        keys, TestTokens.settings(), TestTokens.clockAt(TestTokens.NOW_MILLIS));
  }

  private Path pem(PublicKey... keys) throws Exception {
    StringBuilder text = new StringBuilder();
    for (PublicKey key : keys) {
      text.append(PemKeys.encode(PemKeys.PUBLIC, key.getEncoded()));
    }
    Path file = dir.resolve("token-public.pem");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void shouldVerifyTokensOfEitherKeyWhenThePemFileListsAnOldRsaAndANewEcKey() throws Exception {
    Path file = pem(OLD_RSA.toPublicKey(), NEW_EC.toPublicKey());
    TokenVerifier verifier = verifierOf(TokenKeys.load(pemSettings(file, false)));
    var claims = TestTokens.usualClaims().build();

    assertEquals(
        Set.of("app-1", "app-2"), verifier.verify(TestTokens.rs256(OLD_RSA, claims)).appIds());
    assertEquals(
        Set.of("app-1", "app-2"), verifier.verify(TestTokens.es256(NEW_EC, claims)).appIds());
    TokenRefusedException stranger =
        assertThrows(
            TokenRefusedException.class,
            () -> verifier.verify(TestTokens.rs256(TestTokens.rsaKey(2048), claims)));
    assertEquals(Refusal.BAD_SIGNATURE, stranger.reason());
  }

  @Test
  void shouldTryEveryPemKeyWhenTheTokenNamesAKeyIdTheFileCannotHave() throws Exception {
    Path file = pem(OLD_RSA.toPublicKey(), NEW_EC.toPublicKey());
    TokenVerifier verifier = verifierOf(TokenKeys.load(pemSettings(file, false)));
    var claims = TestTokens.usualClaims().build();
    String withKid =
        TestTokens.sign(
            new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.RS256)
                .keyID("issuer-key-7")
                .build(),
            new com.nimbusds.jose.crypto.RSASSASigner(OLD_RSA),
            claims);

    assertEquals(Set.of("app-1", "app-2"), verifier.verify(withKid).appIds());
  }

  @Test
  void shouldConvertRsaAndP256KeysWhenMakingJwks() throws Exception {
    List<JWK> jwks = TokenKeys.jwks(List.of(OLD_RSA.toPublicKey(), NEW_EC.toPublicKey()));

    assertEquals(2, jwks.size());
    assertEquals(OLD_RSA.toPublicJWK().computeThumbprint(), jwks.get(0).computeThumbprint());
    assertEquals(NEW_EC.toPublicJWK().computeThumbprint(), jwks.get(1).computeThumbprint());
    assertTrue(jwks.stream().noneMatch(JWK::isPrivate));
  }

  @Test
  void shouldRefuseAnRsaKeyWhenItHasFewerThan2048Bits() throws Exception {
    PublicKey weak = TestTokens.rsaKey(1024).toPublicKey();

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TokenKeys.jwks(List.of(weak)));

    assertTrue(e.getMessage().contains("2048"), e.getMessage());
  }

  @Test
  void shouldRefuseAnEcKeyWhenItIsNotOnP256() throws Exception {
    PublicKey p384 = TestTokens.ecKey(Curve.P_384).toPublicKey();

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TokenKeys.jwks(List.of(p384)));

    assertTrue(e.getMessage().contains("P-256"), e.getMessage());
  }

  @Test
  void shouldRefuseToLoadNamingTheKeyWhenThePemFileHoldsAWeakRsaKey() throws Exception {
    Path file = pem(NEW_EC.toPublicKey(), TestTokens.rsaKey(1024).toPublicKey());

    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> TokenKeys.load(pemSettings(file, false)));

    assertEquals(TokenSettings.PUBLIC_KEY, e.key());
    assertTrue(e.getMessage().contains(TokenSettings.PUBLIC_KEY), e.getMessage());
    assertTrue(e.getMessage().contains("2048"), e.getMessage());
  }

  @Test
  void shouldRefuseToLoadNamingTheKeyWhenThePemFileHoldsNoPublicKey() throws Exception {
    Path file = dir.resolve("token-public.pem");
    Files.writeString(file, "not a key\n");

    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> TokenKeys.load(pemSettings(file, false)));

    assertEquals(TokenSettings.PUBLIC_KEY, e.key());
    assertTrue(e.getMessage().contains(TokenSettings.PUBLIC_KEY), e.getMessage());
  }

  @Test
  void shouldRefuseToLoadNamingTheKeyWhenThePemFileIsMissingAndDevKeysAreOff() {
    Path file = dir.resolve("absent.pem");

    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> TokenKeys.load(pemSettings(file, false)));

    assertEquals(TokenSettings.PUBLIC_KEY, e.key());
    assertTrue(e.getMessage().contains(TokenSettings.PUBLIC_KEY), e.getMessage());
    assertTrue(Files.notExists(file));
  }

  @Test
  void shouldGenerateAKeyPairThatVerifiesWhenThePemFileIsMissingAndDevKeysAreOn() throws Exception {
    Path file = dir.resolve("security").resolve("token-public.pem");

    TokenVerifier verifier = verifierOf(TokenKeys.load(pemSettings(file, true)));

    Path privateFile = file.resolveSibling("token-private.pem");
    assertTrue(Files.exists(file) && Files.exists(privateFile));
    RSAKey generated =
        new RSAKey.Builder(PemKeys.readPublic(file))
            .privateKey(PemKeys.readPrivate(privateFile))
            .build();
    String token = TestTokens.rs256(generated, TestTokens.usualClaims().build());
    assertEquals(Set.of("app-1", "app-2"), verifier.verify(token).appIds());
  }
}
