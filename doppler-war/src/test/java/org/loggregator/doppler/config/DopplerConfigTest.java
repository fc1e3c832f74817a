package org.loggregator.doppler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
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
