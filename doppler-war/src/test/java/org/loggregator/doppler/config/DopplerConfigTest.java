package org.loggregator.doppler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.loggregator.config.HostPort;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.config.Settings;

class DopplerConfigTest {
  private static final String SECRET = "loggregatorEndPointSharedSecret";

  private static DopplerConfig configOf(Map<String, String> values) {
    return DopplerConfig.from(new Settings(key -> Optional.ofNullable(values.get(key))));
  }

  @Test
  void shouldUseTheProtocolDefaultsWhenOnlyTheSecretIsSet() {
    DopplerConfig config = configOf(Map.of(DopplerConfig.SHARED_SECRET, SECRET));

    assertEquals("z1", config.zone());
    assertEquals(new HostPort("127.0.0.1", 3458), config.udpAddress());
    assertEquals(100, config.recentLogs());
    assertEquals(1000, config.subscriberQueue());
    assertEquals(Duration.ofSeconds(120), config.containerMetricTtl());
    assertEquals(Duration.ofHours(1), config.appTtl());
    assertEquals(Duration.ofSeconds(30), config.pingInterval());
    assertEquals(10_000, config.drainQueue());
    assertEquals(Duration.ofMinutes(10), config.drainTtl());
    assertEquals(10, config.maxDrainsPerApp());
    assertEquals(1000, config.maxDrains());
    assertEquals(Duration.ofMinutes(1), config.drainMaxBackoff());
    assertEquals("loggregator", config.syslogHostname());
    assertEquals(List.of(), config.drains());
    assertNull(config.drainTrustStore());
  }

  @Test
  void shouldReadStaticDrainsWhenGivenAsAppAndUrlPairs() {
    DopplerConfig config =
        configOf(
            Map.of(
                DopplerConfig.SHARED_SECRET,
                SECRET,
                DopplerConfig.DRAINS,
                "app-1 syslog://logs.example.com:514; app-2  https://u:p@h.example.com/in ;"));

    assertEquals(2, config.drains().size());
    assertEquals("app-1", config.drains().get(0).appId());
    assertEquals("syslog://logs.example.com:514", config.drains().get(0).url().redacted());
    assertEquals("https://h.example.com:443/in", config.drains().get(1).url().redacted());
    assertFalse(config.summary().contains("u:p"), config.summary());
    assertTrue(config.summary().contains("2 static drain(s)"), config.summary());
  }

  @Test
  void shouldNameTheKeyWithoutCredentialsWhenAStaticDrainIsInvalid() {
    InvalidSettingException bad =
        assertThrows(
            InvalidSettingException.class,
            () ->
                configOf(
                    Map.of(
                        DopplerConfig.SHARED_SECRET,
                        SECRET,
                        DopplerConfig.DRAINS,
                        "app-1 ftp://user:secret@files.example.com/")));
    InvalidSettingException unpaired =
        assertThrows(
            InvalidSettingException.class,
            () ->
                configOf(
                    Map.of(
                        DopplerConfig.SHARED_SECRET,
                        SECRET,
                        DopplerConfig.DRAINS,
                        "syslog://user:secret@logs.example.com:514")));

    assertEquals("doppler.drains", bad.key());
    assertEquals(
        "Configuration value doppler.drains has an invalid drain for app app-1: Drain URL"
            + " ftp://files.example.com/ has the unsupported scheme \"ftp\": use syslog://,"
            + " syslog-tls:// or https://.",
        bad.getMessage());
    assertEquals("doppler.drains", unpaired.key());
    assertFalse(unpaired.getMessage().contains("secret"), unpaired.getMessage());
  }

  @Test
  void shouldNameTheKeyWhenADrainSettingIsOutOfRange() {
    Map<String, String> bad =
        Map.of(
            DopplerConfig.DRAIN_QUEUE, "0",
            DopplerConfig.DRAIN_TTL, "1s",
            DopplerConfig.MAX_DRAINS_PER_APP, "0",
            DopplerConfig.MAX_DRAINS, "many",
            DopplerConfig.DRAIN_MAX_BACKOFF, "2m",
            DopplerConfig.SYSLOG_HOSTNAME, "two words",
            DopplerConfig.DRAIN_TRUST_STORE, "/no/such/file.pem");
    for (Map.Entry<String, String> entry : bad.entrySet()) {
      InvalidSettingException e =
          assertThrows(
              InvalidSettingException.class,
              () ->
                  configOf(
                      Map.of(
                          DopplerConfig.SHARED_SECRET, SECRET, entry.getKey(), entry.getValue())));
      assertEquals(entry.getKey(), e.key());
    }
  }

  @Test
  void shouldRefuseToStartNamingTheKeyWhenRecentLogsIsOutOfRange() {
    for (String bad : new String[] {"0", "10001", "many"}) {
      InvalidSettingException e =
          assertThrows(
              InvalidSettingException.class,
              () ->
                  configOf(
                      Map.of(DopplerConfig.SHARED_SECRET, SECRET, DopplerConfig.RECENT_LOGS, bad)));
      assertEquals("doppler.recentLogs", e.key());
    }
  }

  @Test
  void shouldRefuseToStartWhenTheSecretIsMissing() {
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> configOf(Map.of()));

    assertEquals("Configuration value loggregator.sharedSecret is missing.", e.getMessage());
  }

  @Test
  void shouldNameTheKeyWhenTheBindAddressIsNotAHost() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () ->
                configOf(
                    Map.of(
                        DopplerConfig.SHARED_SECRET,
                        SECRET,
                        DopplerConfig.UDP_BIND_ADDRESS,
                        "local host")));

    assertEquals("doppler.udpBindAddress", e.key());
  }

  @Test
  void shouldRefuseAPingIntervalWhenLongerThanTheProtocolAllows() {
    assertThrows(
        InvalidSettingException.class,
        () ->
            configOf(
                Map.of(DopplerConfig.SHARED_SECRET, SECRET, DopplerConfig.PING_INTERVAL, "31s")));
  }
}
