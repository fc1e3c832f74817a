package org.loggregator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.loggregator.protocol.SharedSecrets;

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
  void shouldReadSizesInBytesAndPowersOf1024WhenGivenWithOrWithoutAUnit() {
    Settings settings =
        of(
            Map.of(
                "plain", "65536",
                "kib", "64KiB",
                "k", "64k",
                "mib", "8MiB",
                "spaced", "8 MiB",
                "gib", "1GiB",
                "upper", "2G",
                "grouped", "1_048_576",
                "b", "4096b"));
    long max = Long.MAX_VALUE;

    assertEquals(65_536, settings.bytes("plain", 1, 0, max));
    assertEquals(65_536, settings.bytes("kib", 1, 0, max));
    assertEquals(65_536, settings.bytes("k", 1, 0, max));
    assertEquals(8L << 20, settings.bytes("mib", 1, 0, max));
    assertEquals(8L << 20, settings.bytes("spaced", 1, 0, max));
    assertEquals(1L << 30, settings.bytes("gib", 1, 0, max));
    assertEquals(2L << 30, settings.bytes("upper", 1, 0, max));
    assertEquals(1L << 20, settings.bytes("grouped", 1, 0, max));
    assertEquals(4_096, settings.bytes("b", 1, 0, max));
    assertEquals(7, settings.bytes("absent", 7, 0, max));
  }

  @Test
  void shouldReadSizesBeyondAnIntWhenTheRangeAllowsThem() {
    assertEquals(4_096L << 30, of(Map.of("total", "4096GiB")).bytes("total", 1, 0, Long.MAX_VALUE));
  }

  @Test
  void shouldNameTheKeyTheRangeAndTheValueInOneSentenceWhenASizeIsBad() {
    for (String bad :
        List.of("lots", "12", "8MB", "1.5MiB", "-1", "MiB", "99999999999999999999", "2GiB")) {
      InvalidSettingException e =
          assertThrows(
              InvalidSettingException.class,
              () ->
                  of(Map.of("doppler.recentLogBytes", bad))
                      .bytes("doppler.recentLogBytes", 2 << 20, 65_536, 1 << 30));

      assertEquals("doppler.recentLogBytes", e.key());
      assertEquals(
          "Configuration value doppler.recentLogBytes must be a size from 65536 to 1073741824"
              + " bytes (such as 8MiB or 65536), but is \""
              + bad
              + "\".",
          e.getMessage());
    }
  }

  @Test
  void shouldAnswerMinusOneWhenParsingSomethingThatIsNotASize() {
    assertEquals(-1, Settings.parseBytes(""));
    assertEquals(-1, Settings.parseBytes("+5"));
    assertEquals(-1, Settings.parseBytes("5 5"));
    assertEquals(-1, Settings.parseBytes("9999999999GiB"), "beyond a long");
    assertEquals(0, Settings.parseBytes("0"));
  }

  @Test
  void shouldReadSizesUpToTheLargestLongAndNoFurtherWhenNearOverflow() {
    assertEquals(Long.MAX_VALUE, Settings.parseBytes("9223372036854775807"));
    assertEquals(-1, Settings.parseBytes("9223372036854775808"));
    assertEquals(8_589_934_591L << 30, Settings.parseBytes("8589934591GiB"), "2^63 - 2^30");
    assertEquals(-1, Settings.parseBytes("8589934592GiB"), "2^63 bytes");
    assertEquals(-1, Settings.parseBytes("9007199254740992k"), "2^63 bytes");
  }

  @Test
  void shouldAnswerMinusOneWhenParsingHostileSizes() {
    for (String bad :
        List.of(
            "1TiB", "1T", "-1", "-0", "1.5MiB", "0x10", "1e9", "1 000", "KiB", "1kibkib", "٣")) {
      assertEquals(-1, Settings.parseBytes(bad), bad);
    }
  }

  @Test
  void shouldRefuseWhatIsNotASizeWhenTheRangeStartsBelowZero() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> of(Map.of("size", "lots")).bytes("size", 1, -10, 10));

    assertEquals("size", e.key());
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
  void shouldRefuseAMissingShortOrPublishedSecretNamingTheKeyWithoutEchoingIt() {
    String shortOne = "abc";
    for (Map<String, String> values :
        List.of(
            Map.<String, String>of(),
            Map.of("secret", " "),
            Map.of("secret", shortOne),
            Map.of("secret", SharedSecrets.PUBLISHED),
            Map.of("secret", "test-only-shared-secret-0123456789abcdef, " + shortOne))) {
      InvalidSettingException e =
          assertThrows(InvalidSettingException.class, () -> of(values).sharedSecrets("secret"));
      assertEquals("secret", e.key());
      assertTrue(e.getMessage().startsWith("Configuration value secret "), e.getMessage());
      assertFalse(e.getMessage().contains(shortOne + "\""), e.getMessage());
      assertFalse(e.getMessage().contains(SharedSecrets.PUBLISHED), e.getMessage());
    }
  }

  @Test
  void shouldSignWithTheFirstSecretAndKeepEveryOneWhenSeveralAreListed() {
    SharedSecrets secrets =
        of(Map.of(
                "secret",
                "test-only-shared-secret-0123456789abcdef  test-only-next-shared-secret-fedcba9876543210"))
            .sharedSecrets("secret");
    assertEquals(2, secrets.size());
    assertEquals(
        "test-only-shared-secret-0123456789abcdef",
        new String(secrets.signing(), java.nio.charset.StandardCharsets.UTF_8));
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
