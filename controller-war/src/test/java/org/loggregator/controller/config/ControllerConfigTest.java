package org.loggregator.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.loggregator.config.HostPort;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.config.Settings;

class ControllerConfigTest {
  private static final String SECRET = "test-only-shared-secret-0123456789abcdef";

  private static ControllerConfig configOf(Map<String, String> values) {
    return ControllerConfig.from(new Settings(key -> Optional.ofNullable(values.get(key))));
  }

  /** The secret and one more key. */
  private static ControllerConfig configWith(String key, String value) {
    Map<String, String> values = new HashMap<>();
    values.put(Settings.SHARED_SECRET, SECRET);
    values.put(key, value);
    return configOf(values);
  }

  @Test
  void shouldUseTheProtocolDefaultsWhenOnlyTheSecretIsSet() {
    ControllerConfig config = configOf(Map.of(Settings.SHARED_SECRET, SECRET));

    assertEquals(new HostPort("127.0.0.1", 3456), config.inboundAddress());
    assertEquals(List.of("z1"), config.zones());
    assertEquals(1, config.dopplersOf("z1").size());
    assertEquals(List.of(), config.allowedOrigins());
    assertEquals(10_000, config.maxSessions());
    assertEquals(100, config.maxStreamsPerApp());
    assertEquals(100, config.maxFirehoseConnections());
  }

  @Test
  void shouldUseTheTokenDefaultsWhenNoTokenKeyIsSet() {
    TokenSettings tokens = configOf(Map.of(Settings.SHARED_SECRET, SECRET)).tokens();

    assertEquals("resources/security/token-public.pem", tokens.publicKeyFile());
    assertNull(tokens.jwksUrl());
    assertFalse(tokens.generateDevKeys(), "only a development server generates keys");
    assertEquals("loggregator", tokens.issuer());
    assertEquals(List.of("loggregator"), tokens.audiences());
    assertEquals(Duration.ofSeconds(60), tokens.clockSkew());
    assertEquals("app_ids", tokens.appIdsClaim());
    assertEquals("PEM resources/security/token-public.pem", tokens.keySource());
  }

  @Test
  void shouldReadTheTokenSettingsWhenTheyAreSet() {
    Map<String, String> values = new HashMap<>();
    values.put(Settings.SHARED_SECRET, SECRET);
    values.put(TokenSettings.JWKS_URL, "https://uaa.example.com/token_keys");
    values.put(TokenSettings.ISSUER, "https://uaa.example.com/oauth/token");
    values.put(TokenSettings.AUDIENCE, "loggregator, cf  doppler");
    values.put(TokenSettings.CLOCK_SKEW, "5m");
    values.put(TokenSettings.APP_IDS_CLAIM, "cf:app_guids");
    values.put(TokenSettings.GENERATE_DEV_KEYS, "false");

    TokenSettings tokens = configOf(values).tokens();

    assertEquals(URI.create("https://uaa.example.com/token_keys"), tokens.jwksUrl());
    assertEquals("https://uaa.example.com/oauth/token", tokens.issuer());
    assertEquals(List.of("loggregator", "cf", "doppler"), tokens.audiences());
    assertEquals(Duration.ofMinutes(5), tokens.clockSkew());
    assertEquals("cf:app_guids", tokens.appIdsClaim());
    assertFalse(tokens.generateDevKeys());
    assertEquals("JWKS https://uaa.example.com/token_keys", tokens.keySource());
  }

  @Test
  void shouldAcceptAZeroClockSkewWhenSetToZero() {
    assertEquals(Duration.ZERO, configWith(TokenSettings.CLOCK_SKEW, "0s").tokens().clockSkew());
  }

  @Test
  void shouldReadTheOriginsAndCapsWhenTheyAreSet() {
    Map<String, String> values = new HashMap<>();
    values.put(Settings.SHARED_SECRET, SECRET);
    values.put(
        ControllerConfig.ALLOWED_ORIGINS, "https://Dashboard.example.com, http://localhost:3000");
    values.put(ControllerConfig.MAX_SESSIONS, "500");
    values.put(ControllerConfig.MAX_STREAMS_PER_APP, "10");
    values.put(ControllerConfig.MAX_FIREHOSE_CONNECTIONS, "1");

    ControllerConfig config = configOf(values);

    assertEquals(
        List.of("https://Dashboard.example.com", "http://localhost:3000"), config.allowedOrigins());
    assertEquals(500, config.maxSessions());
    assertEquals(10, config.maxStreamsPerApp());
    assertEquals(1, config.maxFirehoseConnections());
  }

  @Test
  void shouldNameTheKeySourceAndCapsButNotTheSecretWhenSummarized() {
    String summary = configWith(ControllerConfig.MAX_SESSIONS, "500").summary();

    assertTrue(summary.contains("PEM resources/security/token-public.pem"), summary);
    assertTrue(summary.contains("500"), summary);
    assertFalse(summary.contains(SECRET), summary);
  }

  @Test
  void shouldGroupDopplersByZoneWhenSeveralZonesAreListed() {
    ControllerConfig config =
        configOf(
            Map.of(
                Settings.SHARED_SECRET,
                SECRET,
                Settings.ZONE,
                "z2",
                ControllerConfig.DOPPLERS,
                "z1 127.0.0.1:3458 http://127.0.0.1:8090/doppler;"
                    + " z2 127.0.0.1:4458 http://127.0.0.1:9090/doppler;"
                    + " z2 127.0.0.1:4459 http://127.0.0.1:9091/doppler"));

    assertEquals(List.of("z1", "z2"), config.zones());
    assertEquals(2, config.dopplersOf("z2").size());
  }

  @Test
  void shouldRefuseToStartWhenNoDopplerServesItsOwnZone() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () ->
                configOf(
                    Map.of(
                        Settings.SHARED_SECRET,
                        SECRET,
                        Settings.ZONE,
                        "z3",
                        ControllerConfig.DOPPLERS,
                        "z1 127.0.0.1:3458 http://127.0.0.1:8090/doppler")));

    assertEquals("controller.dopplers", e.key());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "controller.tokenClockSkew | 10m",
        "controller.tokenClockSkew | 301s",
        "controller.tokenClockSkew | -1s",
        "controller.tokenClockSkew | soon",
        "controller.tokenAppIdsClaim | app ids",
        "controller.tokenAppIdsClaim | app\"ids",
        "controller.tokenAppIdsClaim | app_ids,scope",
        "controller.tokenJwksUrl | ftp://uaa.example.com/token_keys",
        "controller.tokenJwksUrl | http://uaa.example.com/token_keys",
        "controller.tokenJwksUrl | http://10.0.0.1/token_keys",
        "controller.tokenJwksUrl | /token_keys",
        "controller.tokenJwksUrl | https://",
        "controller.tokenJwksUrl | not a url",
        "controller.generateDevKeys | maybe",
        "controller.allowedOrigins | https://dashboard.example.com/",
        "controller.allowedOrigins | https://ok.example.com, null",
        "controller.allowedOrigins | *",
        "controller.allowedOrigins | dashboard.example.com",
        "controller.maxSessions | 0",
        "controller.maxSessions | many",
        "controller.maxSessions | 1000001",
        "controller.maxStreamsPerApp | 0",
        "controller.maxFirehoseConnections | -1"
      })
  void shouldRefuseToStartNamingTheKeyWhenAValueIsBad(String key, String value) {
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> configWith(key, value));

    assertEquals(key, e.key());
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  @Test
  void shouldRefuseAnAppIdsClaimNameWhenItIsLongerThan128Characters() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> configWith(TokenSettings.APP_IDS_CLAIM, "a".repeat(129)));

    assertEquals(TokenSettings.APP_IDS_CLAIM, e.key());
    assertTrue(e.getMessage().contains(TokenSettings.APP_IDS_CLAIM), e.getMessage());
  }

  @Test
  void shouldUseTheDefaultAudienceWhenTheAudienceIsBlank() {
    TokenSettings tokens = configWith(TokenSettings.AUDIENCE, " , ").tokens();

    assertEquals(List.of("loggregator"), tokens.audiences());
  }

  @Test
  void shouldKeepItsOwnCopyOfTheAudiencesWhenTheCallerChangesTheList() {
    List<String> audiences = new java.util.ArrayList<>(List.of("loggregator"));
    TokenSettings tokens =
        new TokenSettings(
            "key.pem", null, false, "loggregator", audiences, Duration.ZERO, "app_ids");

    audiences.add("other");

    assertEquals(List.of("loggregator"), tokens.audiences());
    assertThrows(UnsupportedOperationException.class, () -> tokens.audiences().add("x"));
  }
}
