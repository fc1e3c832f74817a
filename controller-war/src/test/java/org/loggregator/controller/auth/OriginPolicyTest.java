package org.loggregator.controller.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.controller.config.Origins;

class OriginPolicyTest {
  private static final String KEY = "controller.allowedOrigins";

  private final OriginPolicy policy =
      new OriginPolicy(List.of("https://Dashboard.Example.com", " http://localhost:3000 "));

  // --- normalize ---

  @ParameterizedTest
  @CsvSource({
    "https://logs.example.com, https://logs.example.com:443",
    "HTTPS://Logs.Example.COM, https://logs.example.com:443",
    "https://logs.example.com:443, https://logs.example.com:443",
    "http://logs.example.com, http://logs.example.com:80",
    "http://logs.example.com:80, http://logs.example.com:80",
    "http://logs.example.com:8080, http://logs.example.com:8080",
    "https://logs.example.com:80, https://logs.example.com:80",
    "http://127.0.0.1:9080, http://127.0.0.1:9080",
    "http://[::1], http://[::1]:80",
    "http://[::1]:9080, http://[::1]:9080",
    "'  https://logs.example.com  ', https://logs.example.com:443"
  })
  void shouldWriteSchemeHostAndPortWhenTheOriginIsHttpOrHttps(String origin, String normalized) {
    assertEquals(normalized, Origins.normalize(origin));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://logs.example.com/",
        "https://logs.example.com/app",
        "https://logs.example.com?x=1",
        "https://logs.example.com#top",
        "https://user@logs.example.com",
        "https://user:secret@logs.example.com",
        "ftp://logs.example.com",
        "ws://logs.example.com",
        "wss://logs.example.com",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "null",
        "garbage",
        "logs.example.com",
        "//logs.example.com",
        "http://",
        "http://exa mple.com",
        "http://[::1",
        "*",
        " "
      })
  void shouldRefuseTheOriginWhenItIsNotJustSchemeHostAndPort(String origin) {
    assertNull(Origins.normalize(origin));
  }

  @ParameterizedTest
  @NullAndEmptySource
  void shouldRefuseTheOriginWhenItIsAbsent(String origin) {
    assertNull(Origins.normalize(origin));
  }

  @Test
  void shouldRefuseTheOriginWhenItIsLongerThan512Characters() {
    String overlong = "https://" + "a".repeat(505) + ".com";

    assertNull(Origins.normalize(overlong));
    assertEquals(
        "https://" + "a".repeat(100) + ".com:443",
        Origins.normalize("https://" + "a".repeat(100) + ".com"));
  }

  // --- own origin ---

  @ParameterizedTest
  @CsvSource({
    "https://logs.example.com, https, logs.example.com",
    "https://logs.example.com:443, https, logs.example.com",
    "https://logs.example.com, https, logs.example.com:443",
    "HTTPS://LOGS.example.com, https, logs.EXAMPLE.com",
    "http://localhost:9080, http, localhost:9080",
    "http://[::1]:9080, http, [::1]:9080"
  })
  void shouldBeOwnWhenTheOriginIsTheRequestsSchemeAndHost(
      String origin, String scheme, String host) {
    assertTrue(OriginPolicy.isOwn(origin, scheme, host));
  }

  @ParameterizedTest
  @CsvSource({
    "http://logs.example.com, https, logs.example.com",
    "https://logs.example.com, http, logs.example.com",
    "http://localhost:9081, http, localhost:9080",
    "http://localhost, http, localhost:9080",
    "https://evil.example.com, https, logs.example.com",
    "https://logs.example.com.evil.com, https, logs.example.com",
    "null, https, logs.example.com",
    "https://logs.example.com, https, logs.example.com/app",
    "https://logs.example.com, https, user@logs.example.com"
  })
  void shouldNotBeOwnWhenTheOriginDiffersFromTheRequestsSchemeOrHost(
      String origin, String scheme, String host) {
    assertFalse(OriginPolicy.isOwn(origin, scheme, host));
  }

  @Test
  void shouldNotBeOwnWhenTheOriginOrHostIsMissing() {
    assertFalse(OriginPolicy.isOwn(null, "https", "logs.example.com"));
    assertFalse(OriginPolicy.isOwn("https://logs.example.com", "https", null));
    assertFalse(OriginPolicy.isOwn("https://logs.example.com", null, "logs.example.com"));
  }

  // --- allow list ---

  @Test
  void shouldPermitTheOwnAndTheAllowedOriginsWhenTheAllowListIsSet() {
    assertTrue(policy.permits("https://logs.example.com", "https", "logs.example.com"));
    assertTrue(policy.permits("https://dashboard.example.com", "https", "logs.example.com"));
    assertTrue(policy.permits("https://DASHBOARD.example.com:443", "https", "logs.example.com"));
    assertTrue(policy.permits("http://localhost:3000", "https", "logs.example.com"));
    assertFalse(policy.permits("http://dashboard.example.com", "https", "logs.example.com"));
    assertFalse(policy.permits("http://localhost:3001", "https", "logs.example.com"));
    assertFalse(policy.permits("https://evil.example.com", "https", "logs.example.com"));
    assertFalse(policy.permits("null", "https", "logs.example.com"));
  }

  @Test
  void shouldPermitOnlyTheOwnOriginWhenTheAllowListIsEmpty() {
    OriginPolicy none = new OriginPolicy(List.of());

    assertTrue(none.permits("https://logs.example.com", "https", "logs.example.com"));
    assertFalse(none.permits("https://dashboard.example.com", "https", "logs.example.com"));
    assertFalse(none.isAllowListed("https://logs.example.com"));
  }

  @Test
  void shouldPermitABrowserRequestWithoutOriginOnlyWhenItIsNotCrossSiteAndNotAWebSocket() {
    assertTrue(policy.permitsBrowser(null, null, "https", "logs.example.com", false));
    assertTrue(policy.permitsBrowser(null, "same-origin", "https", "logs.example.com", false));
    assertTrue(policy.permitsBrowser(null, "none", "https", "logs.example.com", false));
    assertFalse(policy.permitsBrowser(null, "cross-site", "https", "logs.example.com", false));
    assertFalse(policy.permitsBrowser(null, "CROSS-SITE", "https", "logs.example.com", false));
    assertFalse(policy.permitsBrowser(null, null, "https", "logs.example.com", true));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "null",
        "",
        "https://evil.example.com",
        "https://logs.example.com.evil.com",
        "http://logs.example.com",
        "https://logs.example.com:8443",
        "https://user@logs.example.com",
        "https://logs.example.com/",
        "https://logs.example.com%2f@evil.example.com"
      })
  void shouldRefuseABrowserRequestWhenItNamesAnotherOriginWhateverItsFetchSite(String origin) {
    assertFalse(policy.permitsBrowser(origin, "same-origin", "https", "logs.example.com", false));
    assertFalse(policy.permitsBrowser(origin, null, "https", "logs.example.com", true));
  }

  @Test
  void shouldPermitABrowserRequestWhenItNamesTheOwnOrAnAllowedOriginEvenIfCrossSite() {
    assertTrue(
        policy.permitsBrowser(
            "HTTPS://Logs.Example.com:443", "same-origin", "https", "logs.example.com", true));
    assertTrue(
        policy.permitsBrowser(
            "https://dashboard.example.com", "cross-site", "https", "logs.example.com", false));
  }

  @Test
  void shouldNotCountTheOwnOriginAsAllowListedWhenItIsNotListed() {
    assertFalse(policy.isAllowListed("https://logs.example.com"));
    assertTrue(policy.isAllowListed("https://dashboard.example.com"));
  }

  @Test
  void shouldAnswerTheConfiguredSpellingWhenTheRequestSpellsAnAllowedOriginOtherwise() {
    assertEquals(
        "https://Dashboard.Example.com",
        policy.allowListEntry("HTTPS://dashboard.EXAMPLE.com:443"));
    assertEquals(
        "https://Dashboard.Example.com", policy.allowListEntry("https://dashboard.example.com"));
    assertEquals("http://localhost:3000", policy.allowListEntry("http://LOCALHOST:3000"));
  }

  @Test
  void shouldAnswerNullWhenTheOriginIsNotAllowed() {
    assertNull(policy.allowListEntry("https://evil.example.com"));
    assertNull(policy.allowListEntry("https://dashboard.example.com/"));
    assertNull(policy.allowListEntry("https://dashboard.example.com.evil.com"));
    assertNull(policy.allowListEntry("null"));
    assertNull(policy.allowListEntry(null));
  }

  @Test
  void shouldRefuseToBuildWhenAnAllowedOriginIsNotAnOrigin() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new OriginPolicy(List.of("https://ok.example.com", "https://bad.example.com/")));
  }

  // --- parseAllowed ---

  @Test
  void shouldReturnTheOriginsAsConfiguredWhenEveryOneIsValid() {
    List<String> values = new ArrayList<>(List.of("https://a.example.com", "http://[::1]:3000"));

    List<String> parsed = Origins.parseAllowed(KEY, values);
    values.clear();

    assertEquals(List.of("https://a.example.com", "http://[::1]:3000"), parsed);
    assertThrows(UnsupportedOperationException.class, () -> parsed.add("https://b.example.com"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"https://a.example.com/", "null", "*", "a.example.com", "ftp://a.example.com"})
  void shouldThrowNamingTheKeyWhenAConfiguredOriginIsNotAnOrigin(String bad) {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> Origins.parseAllowed(KEY, List.of("https://ok.example.com", bad)));

    assertEquals(KEY, e.key());
    assertTrue(e.getMessage().contains(KEY), e.getMessage());
    assertTrue(e.getMessage().contains(bad), e.getMessage());
  }
}
