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
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.loggregator.config.HostPort;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.config.Settings;
import org.loggregator.doppler.drain.address.Cidr;
import org.loggregator.protocol.TestSecrets;

class DopplerConfigTest {
  private static final String SECRET = TestSecrets.SECRET;

  private static DopplerConfig configOf(Map<String, String> values) {
    return DopplerConfig.from(new Settings(key -> Optional.ofNullable(values.get(key))));
  }

  @Test
  void shouldUseTheProtocolDefaultsWhenOnlyTheSecretIsSet() {
    DopplerConfig config = configOf(Map.of(Settings.SHARED_SECRET, SECRET));

    assertEquals("z1", config.zone());
    assertEquals(new HostPort("127.0.0.1", 3458), config.udpAddress());
    assertEquals(100, config.recentLogs());
    assertEquals(16_384, config.subscriberQueue());
    assertEquals(Duration.ofSeconds(120), config.containerMetricTtl());
    assertEquals(Duration.ofHours(1), config.appTtl());
    assertEquals(Duration.ofSeconds(30), config.pingInterval());
    assertEquals(10_000, config.drainQueue());
    assertEquals(Duration.ofMinutes(10), config.drainTtl());
    assertEquals(5, config.maxDrainsPerApp());
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
                Settings.SHARED_SECRET,
                SECRET,
                DopplerConfig.DRAINS,
                "app-1 syslog://logs.example.com:514; app-2  https://u:p@h.example.com/in ;"));

    assertEquals(2, config.drains().size());
    assertEquals("app-1", config.drains().get(0).appId());
    assertEquals("syslog://logs.example.com:514", config.drains().get(0).url().redacted());
    assertEquals("https://h.example.com:443", config.drains().get(1).url().redacted());
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
                        Settings.SHARED_SECRET,
                        SECRET,
                        DopplerConfig.DRAINS,
                        "app-1 ftp://user:secret@files.example.com/")));
    InvalidSettingException unpaired =
        assertThrows(
            InvalidSettingException.class,
            () ->
                configOf(
                    Map.of(
                        Settings.SHARED_SECRET,
                        SECRET,
                        DopplerConfig.DRAINS,
                        "syslog://user:secret@logs.example.com:514")));

    assertEquals("doppler.drains", bad.key());
    assertEquals(
        "Configuration value doppler.drains has an invalid drain for app app-1: Drain URL"
            + " ftp://files.example.com has the unsupported scheme \"ftp\": use syslog://,"
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
                      Map.of(Settings.SHARED_SECRET, SECRET, entry.getKey(), entry.getValue())));
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
                  configOf(Map.of(Settings.SHARED_SECRET, SECRET, DopplerConfig.RECENT_LOGS, bad)));
      assertEquals("doppler.recentLogs", e.key());
    }
  }

  @Test
  void shouldRefuseToStartWhenTheSecretIsMissing() {
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> configOf(Map.of()));

    assertEquals("loggregator.sharedSecret", e.key());
    assertTrue(
        e.getMessage().startsWith("Configuration value loggregator.sharedSecret is missing"),
        e.getMessage());
  }

  @Test
  void shouldNameTheKeyWhenTheBindAddressIsNotAHost() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () ->
                configOf(
                    Map.of(
                        Settings.SHARED_SECRET,
                        SECRET,
                        DopplerConfig.UDP_BIND_ADDRESS,
                        "local host")));

    assertEquals("doppler.udpBindAddress", e.key());
  }

  @Test
  void shouldRefuseAPingIntervalWhenLongerThanTheProtocolAllows() {
    assertThrows(
        InvalidSettingException.class,
        () -> configOf(Map.of(Settings.SHARED_SECRET, SECRET, DopplerConfig.PING_INTERVAL, "31s")));
  }

  @Test
  void shouldDenyByDefaultAndBindFromTagsWhenNoDrainRuleIsSet() {
    DrainRules rules = configOf(Map.of(Settings.SHARED_SECRET, SECRET)).drainRules();

    assertEquals(List.of(), rules.allowCidrs());
    assertEquals(List.of(), rules.denyCidrs());
    assertTrue(rules.bindFromTags());
    assertEquals(Set.of(9080, 9443, 3458), rules.ownPorts());
  }

  @Test
  void shouldReadTheCidrsTheTagSwitchAndTheOwnPortsWhenSet() {
    DrainRules rules =
        configOf(
                Map.of(
                    Settings.SHARED_SECRET, SECRET,
                    DrainRules.ALLOW_CIDRS, "127.0.0.0/8, ::1/128",
                    DrainRules.DENY_CIDRS, "10.0.0.0/8,fd00::/8 192.0.2.7",
                    DrainRules.BIND_FROM_TAGS, "false",
                    DrainRules.HTTP_PORT, "8080",
                    DrainRules.HTTPS_PORT, "-1",
                    DopplerConfig.UDP_PORT, "3458",
                    DrainRules.CONTROLLER_INBOUND_PORT, "3456"))
            .drainRules();

    assertEquals(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128")), rules.allowCidrs());
    assertEquals(
        List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"), Cidr.parse("192.0.2.7/32")),
        rules.denyCidrs());
    assertFalse(rules.bindFromTags());
    assertEquals(Set.of(8080, 3458, 3456), rules.ownPorts(), "https.port -1 is off");
    assertTrue(rules.summary().contains("binding from drain_urls tags off"), rules.summary());
  }

  @Test
  void shouldStopStartUpWithOneSentenceNamingTheKeyWhenACidrIsBad() {
    InvalidSettingException allow =
        assertThrows(
            InvalidSettingException.class,
            () ->
                configOf(
                    Map.of(
                        Settings.SHARED_SECRET,
                        SECRET,
                        DrainRules.ALLOW_CIDRS,
                        "127.0.0.0/8,10.0.0.0/33")));
    InvalidSettingException deny =
        assertThrows(
            InvalidSettingException.class,
            () ->
                configOf(
                    Map.of(Settings.SHARED_SECRET, SECRET, DrainRules.DENY_CIDRS, "metadata")));
    InvalidSettingException tags =
        assertThrows(
            InvalidSettingException.class,
            () ->
                configOf(
                    Map.of(Settings.SHARED_SECRET, SECRET, DrainRules.BIND_FROM_TAGS, "maybe")));

    assertEquals(DrainRules.ALLOW_CIDRS, allow.key());
    assertEquals(
        "Configuration value doppler.drainAllowCidrs must be comma-separated IPv4 or IPv6 CIDRs"
            + " such as 10.0.0.0/8 or fd00::/8, but \"10.0.0.0/33\" has an invalid prefix length:"
            + " use 0 to 32.",
        allow.getMessage());
    assertEquals(DrainRules.DENY_CIDRS, deny.key());
    assertTrue(deny.getMessage().endsWith("but \"metadata\" is not an IPv4 or IPv6 address."));
    assertEquals(DrainRules.BIND_FROM_TAGS, tags.key());
  }
}
