package org.loggregator.cli.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loggregator.cli.Run;

class TokenMinterTest {
  private static KeyPair keys;

  @BeforeAll
  static void generateKeys() {
    keys = DevKeys.generate();
  }

  /** Checks the RS256 signature with the JDK alone and returns the decoded claims JSON. */
  static String verifiedClaims(String token, PublicKey publicKey) throws Exception {
    String[] parts = token.split("\\.");
    assertEquals(3, parts.length, token);
    for (String part : parts) {
      assertFalse(part.contains("="), "padding in " + part);
      assertTrue(part.matches("[A-Za-z0-9_-]+"), "not base64url: " + part);
    }
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initVerify(publicKey);
    signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertTrue(signature.verify(Base64.getUrlDecoder().decode(parts[2])), "bad signature");
    assertEquals(
        "{\"alg\":\"RS256\",\"typ\":\"JWT\"}",
        new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    return new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
  }

  private static long number(String json, String claim) {
    Matcher m = Pattern.compile("\"" + claim + "\":(\\d+)").matcher(json);
    assertTrue(m.find(), claim + " missing in " + json);
    return Long.parseLong(m.group(1));
  }

  @Test
  void shouldSignClaimsThatVerifyWithThePublicKeyWhenMinting() throws Exception {
    TokenClaims claims =
        TokenClaims.forApps("app-1", "app-2")
            .withTimes(Instant.ofEpochSecond(1_700_000_000L), Instant.ofEpochSecond(1_700_086_400L))
            .withSubject("ann \"the\" dev");

    String token = new TokenMinter(keys.getPrivate()).mint(claims);

    assertEquals(
        "{\"iss\":\"loggregator\",\"aud\":[\"loggregator\"],\"sub\":\"ann \\\"the\\\" dev\",\"upn\":\"ann \\\"the\\\" dev\","
            + "\"iat\":1700000000,\"exp\":1700086400,\"jti\":\""
            + claims.id()
            + "\",\"app_ids\":[\"app-1\",\"app-2\"],\"scope\":[\"logs.read\"]}",
        verifiedClaims(token, keys.getPublic()));
  }

  @Test
  void shouldAddFirehoseAndAdminScopesOnceWhenAsked() throws Exception {
    TokenClaims claims =
        TokenClaims.forApps(List.of(), Duration.ofMinutes(5))
            .withFirehose()
            .withAdmin()
            .withFirehose();

    String json = verifiedClaims(new TokenMinter(keys.getPrivate()).mint(claims), keys.getPublic());

    assertTrue(
        json.contains(
            "\"app_ids\":[],\"scope\":[\"logs.read\",\"doppler.firehose\",\"loggregator.admin\"]"),
        json);
    assertEquals(300, number(json, "exp") - number(json, "iat"));
  }

  @Test
  void shouldGiveEachTokenItsOwnIdWhenMintingTwice() {
    assertFalse(TokenClaims.forApps("a").id().equals(TokenClaims.forApps("a").id()));
  }

  @Test
  void shouldRefuseAKeyShorterThan2048BitsWhenCreated() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    KeyPair weak = generator.generateKeyPair();

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new TokenMinter(weak.getPrivate()));
    assertTrue(e.getMessage().contains("2048"), e.getMessage());
  }

  @Test
  void shouldPrintAVerifiableTokenWithTheAskedClaimsWhenRunAsCommand(@TempDir Path dir)
      throws Exception {
    DevKeys.write(keys, dir, false);
    Path key = dir.resolve(DevKeys.PRIVATE_KEY_FILE);

    Run run =
        Run.of(
            Map.of("USER", "ann"),
            null,
            "token",
            "--app",
            "6f1c",
            "--app",
            "other",
            "--firehose",
            "--ttl",
            "90m",
            "--audience",
            "logs.example",
            "--audience",
            "loggregator",
            "--key",
            key.toString());

    assertEquals(0, run.status(), run.err());
    String token = run.out().strip();
    assertEquals(run.out(), token + System.lineSeparator());
    String json =
        verifiedClaims(token, DevKeys.readPublicKey(dir.resolve(DevKeys.PUBLIC_KEY_FILE)));
    assertTrue(
        json.startsWith(
            "{\"iss\":\"loggregator\",\"aud\":[\"logs.example\",\"loggregator\"],"
                + "\"sub\":\"ann\",\"upn\":\"ann\","),
        json);
    assertTrue(
        json.endsWith(
            "\"app_ids\":[\"6f1c\",\"other\"],\"scope\":[\"logs.read\",\"doppler.firehose\"]}"),
        json);
    assertEquals(90 * 60, number(json, "exp") - number(json, "iat"));
    long now = Instant.now().getEpochSecond();
    assertTrue(Math.abs(number(json, "iat") - now) < 3600, json);
  }

  @Test
  void shouldUseTheKeyOfTheEnvironmentAndLiveADayWhenNoFlagsSayOtherwise(@TempDir Path dir)
      throws Exception {
    DevKeys.write(keys, dir, false);

    Run run =
        Run.of(
            Map.of("LOGS_TOKEN_KEY", dir.resolve(DevKeys.PRIVATE_KEY_FILE).toString()),
            null,
            "token",
            "--admin",
            "--issuer",
            "other-issuer");

    assertEquals(0, run.status(), run.err());
    String json = verifiedClaims(run.out().strip(), keys.getPublic());
    assertTrue(
        json.startsWith(
            "{\"iss\":\"other-issuer\",\"aud\":[\"loggregator\"],\"sub\":\"developer\""),
        json);
    assertTrue(json.endsWith("\"app_ids\":[],\"scope\":[\"logs.read\",\"loggregator.admin\"]}"));
    assertEquals(24 * 3600, number(json, "exp") - number(json, "iat"));
  }

  @Test
  void shouldSayToRunKeygenWhenTheKeyOfTheEnvironmentIsMissing(@TempDir Path dir) {
    Run run =
        Run.of(
            Map.of("LOGS_TOKEN_KEY", dir.resolve("none.pem").toString()),
            null,
            "token",
            "--app",
            "a");

    assertEquals(2, run.status());
    assertTrue(run.err().contains("LOGS_TOKEN_KEY"), run.err());
    assertTrue(run.err().contains("logs keygen"), run.err());
    assertTrue(run.errIsOneSentence(), run.err());
  }

  @Test
  void shouldExplainWhenTheKeyFileIsNotAPrivateKeyPem(@TempDir Path dir) throws Exception {
    Path notAKey = dir.resolve("public.pem");
    Files.writeString(notAKey, DevKeys.publicKeyPem(keys.getPublic()));

    Run run = Run.of("token", "--app", "a", "--key", notAKey.toString());

    assertEquals(2, run.status());
    assertTrue(run.err().contains("BEGIN PRIVATE KEY"), run.err());
    assertTrue(run.errIsOneSentence(), run.err());
  }
}
