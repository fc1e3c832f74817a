package org.loggregator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

  private static Settings of(Map<String, String> values) {
    return new Settings(key -> Optional.ofNullable(values.get(key)));
  }

  @Test
  void shouldUseTheDefaultWhenAKeyIsAbsentOrBlank() {
    Settings settings = of(Map.of("blank", "  "));

    assertEquals(7, settings.integer("absent", 7, 1, 10));
    assertEquals(7, settings.integer("blank", 7, 1, 10));
    assertEquals("d", settings.string("blank", "d"));
  }

  @Test
  void shouldNameTheKeyAndTheRangeWhenAnIntegerIsOutOfRange() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () ->
                of(Map.of("doppler.recentLogs", "0"))
                    .integer("doppler.recentLogs", 100, 1, 10_000));

    assertEquals("doppler.recentLogs", e.key());
    assertEquals(
        "Configuration value doppler.recentLogs must be an integer from 1 to 10000, but is \"0\".",
        e.getMessage());
  }

  @Test
  void shouldRefuseAnIntegerWhenItIsNotANumber() {
    assertThrows(
        InvalidSettingException.class, () -> of(Map.of("k", "12x")).integer("k", 1, 0, 100));
    assertThrows(
        InvalidSettingException.class,
        () -> of(Map.of("k", "99999999999999999999")).integer("k", 1, 0, 100));
  }

  @Test
  void shouldReadDurationsWithUnitsWhenGiven() {
    Settings settings =
        of(Map.of("a", "250ms", "b", "90s", "c", "10m", "d", "1h", "e", "45", "f", "1 h"));
    Duration min = Duration.ZERO;
    Duration max = Duration.ofDays(1);

    assertEquals(Duration.ofMillis(250), settings.duration("a", null, min, max));
    assertEquals(Duration.ofSeconds(90), settings.duration("b", null, min, max));
    assertEquals(Duration.ofMinutes(10), settings.duration("c", null, min, max));
    assertEquals(Duration.ofHours(1), settings.duration("d", null, min, max));
    assertEquals(Duration.ofSeconds(45), settings.duration("e", null, min, max));
    assertEquals(Duration.ofHours(1), settings.duration("f", null, min, max));
  }

  @Test
  void shouldNameTheKeyWhenADurationIsMalformedOrOutOfRange() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () ->
                of(Map.of("ttl", "soon"))
                    .duration(
                        "ttl", Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofDays(7)));
    assertEquals(
        "Configuration value ttl must be a duration from 10s to 168h (such as 30s, 10m or 1h), but"
            + " is \"soon\".",
        e.getMessage());
    assertThrows(
        InvalidSettingException.class,
        () ->
            of(Map.of("ttl", "1s"))
                .duration("ttl", Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofDays(7)));
  }

  @Test
  void shouldReadBooleansWhenSpelledInTheUsualWays() {
    Settings settings = of(Map.of("a", "TRUE", "b", "no", "c", "maybe"));

    assertTrue(settings.bool("a", false));
    assertEquals(false, settings.bool("b", true));
    assertThrows(InvalidSettingException.class, () -> settings.bool("c", true));
  }

  @Test
  void shouldParseHostAndPortWhenWellFormed() {
    assertEquals(Optional.of(new HostPort("127.0.0.1", 3458)), HostPort.parse("127.0.0.1:3458"));
    assertEquals(Optional.of(new HostPort("::1", 3458)), HostPort.parse("[::1]:3458"));
    assertEquals("[::1]:3458", new HostPort("::1", 3458).toString());
    assertEquals(Optional.empty(), HostPort.parse("127.0.0.1"));
    assertEquals(Optional.empty(), HostPort.parse("127.0.0.1:0"));
    assertEquals(Optional.empty(), HostPort.parse("127.0.0.1:70000"));
    assertEquals(Optional.empty(), HostPort.parse("::1:3458"));
    assertEquals(Optional.empty(), HostPort.parse(":3458"));
  }

  @Test
  void shouldRefuseAShortSecretNamingTheKeyWithoutEchoingIt() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class, () -> of(Map.of("secret", "abc")).secret("secret", 8));

    assertEquals("Configuration value secret must be at least 8 characters long.", e.getMessage());
  }

  @Test
  void shouldRefuseANameWhenItHasCharactersOutsideTheAlphabet() {
    assertEquals("z-1.a_b", of(Map.of("zone", "z-1.a_b")).name("zone", "z1"));
    assertThrows(
        InvalidSettingException.class, () -> of(Map.of("zone", "zone one")).name("zone", "z1"));
  }

  @Test
  void shouldReadDopplersOfSeveralZonesWhenSeparatedBySemicolons() {
    List<DopplerAddress> dopplers =
        of(Map.of(
                "d",
                "z1 127.0.0.1:3458 http://127.0.0.1:8080/doppler/; z2 10.0.0.2:4458"
                    + " https://d2.example:9443/doppler"))
            .dopplers("d", "unused");

    assertEquals(2, dopplers.size());
    assertEquals("z1", dopplers.get(0).zone());
    assertEquals(new HostPort("127.0.0.1", 3458), dopplers.get(0).udp());
    assertEquals("http://127.0.0.1:8080/doppler", dopplers.get(0).baseUrl().toString());
    assertEquals("10.0.0.2:4458", dopplers.get(1).shardKey());
  }

  @Test
  void shouldNameTheKeyAndTheBadEntryWhenADopplerIsMalformed() {
    for (String bad :
        List.of(
            "z1 127.0.0.1 http://h/doppler",
            "z1 127.0.0.1:3458 ftp://h/doppler",
            "z1 127.0.0.1:3458",
            "z 1 127.0.0.1:3458 http://h/d",
            ";")) {
      InvalidSettingException e =
          assertThrows(
              InvalidSettingException.class,
              () -> of(Map.of("controller.dopplers", bad)).dopplers("controller.dopplers", ""),
              bad);
      assertEquals("controller.dopplers", e.key());
      assertTrue(e.getMessage().startsWith("Configuration value controller.dopplers must list"));
    }
  }

  @Test
  void shouldSplitListsOnCommasAndSpacesWhenGiven() {
    assertEquals(List.of("a", "b", "c"), of(Map.of("l", " a, b  c,")).list("l"));
    assertEquals(List.of(), of(Map.of()).list("l"));
  }
}
