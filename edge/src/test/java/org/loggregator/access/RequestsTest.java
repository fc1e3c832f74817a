package org.loggregator.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.server.HandshakeRequest;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.loggregator.protocol.RequestSignature;

class RequestsTest {

  /** Headers as the two public entry points hand them on: names case-insensitive. */
  private static Map<String, List<String>> headers(String... namesAndValues) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers
          .computeIfAbsent(namesAndValues[i], k -> new java.util.ArrayList<>())
          .add(namesAndValues[i + 1]);
    }
    return headers;
  }

  // ---------------------------------------------------------------- of(method, scheme, headers,
  // query)

  @Test
  void shouldTakeEachHeaderWhenEachCameOnce() {
    RequestCredentials credentials =
        Requests.of(
            "GET",
            "https",
            headers(
                "host", "logs.example.com",
                "ORIGIN", "https://logs.example.com",
                "sec-fetch-site", "same-origin",
                "authorization", "bearer abc",
                "x-loggregator-signature", "t=1,n=2,sig=3",
                "sec-websocket-protocol", "a, b",
                "cookie", "theme=dark"),
            "app=x");

    assertEquals("GET", credentials.method());
    assertEquals("https", credentials.scheme());
    assertEquals("logs.example.com", credentials.host());
    assertEquals("https://logs.example.com", credentials.origin());
    assertEquals("same-origin", credentials.fetchSite());
    assertEquals("bearer abc", credentials.authorization());
    assertEquals("t=1,n=2,sig=3", credentials.signature());
    assertEquals("a, b", credentials.subprotocols());
    assertNull(credentials.cookieToken());
    assertEquals("app=x", credentials.query());
    assertFalse(credentials.ambiguous());
    assertFalse(credentials.byCookie());
    assertEquals("bearer abc", credentials.bearer());
  }

  @Test
  void shouldGiveNullsAndNoAmbiguityWhenNoHeaderCame() {
    RequestCredentials credentials = Requests.of("GET", "http", headers(), null);
    assertNull(credentials.host());
    assertNull(credentials.origin());
    assertNull(credentials.fetchSite());
    assertNull(credentials.authorization());
    assertNull(credentials.cookieToken());
    assertNull(credentials.signature());
    assertNull(credentials.subprotocols());
    assertNull(credentials.query());
    assertNull(credentials.bearer());
    assertFalse(credentials.ambiguous());
  }

  @Test
  void shouldTreatAnEmptyListAsAnAbsentHeaderWhenTaking() {
    Map<String, List<String>> headers = headers();
    headers.put("Authorization", List.of());
    headers.put("Sec-WebSocket-Protocol", List.of());
    RequestCredentials credentials = Requests.of("GET", "http", headers, null);
    assertNull(credentials.authorization());
    assertNull(credentials.subprotocols());
    assertFalse(credentials.ambiguous());
  }

  @Test
  void shouldJoinSubprotocolHeadersWhenSeveralCame() {
    RequestCredentials credentials =
        Requests.of(
            "GET",
            "http",
            headers("Sec-WebSocket-Protocol", "a", "sec-websocket-protocol", "b, c"),
            null);
    assertEquals("a,b, c", credentials.subprotocols());
    assertFalse(credentials.ambiguous(), "several subprotocol headers are legitimate");
  }

  @Test
  void shouldBeAmbiguousAndChooseNoValueWhenTwoAuthorizationHeadersCame() {
    RequestCredentials credentials =
        Requests.of(
            "GET", "http", headers("Authorization", "bearer a", "authorization", "bearer b"), null);
    assertTrue(credentials.ambiguous());
    assertNull(credentials.authorization());
    assertNull(credentials.bearer());
  }

  @Test
  void shouldBeAmbiguousWhenTwoSignatureHostOriginOrFetchSiteHeadersCame() {
    for (String name : List.of(RequestSignature.HEADER, "Host", "Origin", "Sec-Fetch-Site")) {
      RequestCredentials credentials =
          Requests.of("GET", "http", headers(name, "a", name.toLowerCase(), "b"), null);
      assertTrue(credentials.ambiguous(), name);
    }
  }

  @Test
  void shouldBeAmbiguousAndChooseNoValueWhenTwoAuthorizationCookiesCame() {
    for (List<String> cookieHeaders :
        List.of(
            List.of("authorization=a; authorization=b"),
            List.of("authorization=a", "authorization=b"),
            List.of("authorization=a; theme=dark", "x=1; authorization=a"),
            List.of("authorization=a; Authorization=b"),
            List.of("AUTHORIZATION=a", "theme=dark;authorization=b"),
            List.of(" authorization = a ;authorization=\"b\""))) {
      Map<String, List<String>> headers = headers();
      headers.put("Cookie", cookieHeaders);
      RequestCredentials credentials = Requests.of("GET", "https", headers, null);
      assertTrue(credentials.ambiguous(), cookieHeaders.toString());
      assertNull(credentials.cookieToken(), cookieHeaders.toString());
      assertNull(credentials.bearer(), cookieHeaders.toString());
    }
  }

  @Test
  void shouldTakeTheCookieTokenWhenOneAuthorizationCookieCame() {
    Map<String, List<String>> headers = headers("Cookie", "theme=dark; authorization=tok%20en");
    RequestCredentials credentials = Requests.of("GET", "https", headers, null);
    assertFalse(credentials.ambiguous());
    assertEquals("tok en", credentials.cookieToken());
    assertTrue(credentials.byCookie());
    assertEquals("tok en", credentials.bearer());
  }

  @Test
  void shouldPreferTheHeaderToTheCookieWhenBothCame() {
    RequestCredentials credentials =
        Requests.of(
            "GET",
            "https",
            headers("Authorization", "bearer h", "Cookie", "authorization=c"),
            null);
    assertFalse(credentials.byCookie());
    assertEquals("bearer h", credentials.bearer());
    RequestCredentials blank =
        Requests.of(
            "GET", "https", headers("Authorization", " ", "Cookie", "authorization=c"), null);
    assertTrue(blank.byCookie(), "a blank header does not hide the cookie");
    assertEquals("c", blank.bearer());
  }

  // ---------------------------------------------------------------- cookieValues

  @Test
  void shouldDecodeQuotedAndUrlEncodedValuesWhenReadingCookies() {
    assertEquals(
        List.of("bearer eyJ.a.b"),
        Requests.cookieValues(List.of("authorization=\"bearer%20eyJ.a.b\""), "authorization"));
    assertEquals(
        List.of("bearer x"),
        Requests.cookieValues(List.of("authorization=bearer+x"), "authorization"));
    assertEquals(
        List.of("a=b"), Requests.cookieValues(List.of("authorization=a%3Db"), "authorization"));
    assertEquals(
        List.of("a=b"), Requests.cookieValues(List.of("authorization=a=b"), "authorization"));
    assertEquals(
        List.of(""), Requests.cookieValues(List.of("authorization=\"\""), "authorization"));
    assertEquals(
        List.of("\""), Requests.cookieValues(List.of("authorization=\""), "authorization"));
  }

  @Test
  void shouldNotThrowWhenACookieHasAMalformedPercentEscape() {
    assertEquals(List.of(""), Requests.cookieValues(List.of("authorization=%zz"), "authorization"));
    assertEquals(
        List.of(""), Requests.cookieValues(List.of("authorization=abc%"), "authorization"));
    assertEquals(
        List.of("", "ok"),
        Requests.cookieValues(
            List.of("authorization=%E0%A4%A", "authorization=ok"), "authorization"));
  }

  @Test
  void shouldFindNothingWhenNoCookieHasTheName() {
    assertEquals(List.of(), Requests.cookieValues(null, "authorization"));
    assertEquals(List.of(), Requests.cookieValues(List.of(), "authorization"));
    assertEquals(List.of(), Requests.cookieValues(List.of(""), "authorization"));
    assertEquals(
        List.of(),
        Requests.cookieValues(
            List.of("authorizationx=a; xauthorization=b; authorization; =c"), "authorization"));
  }

  @Test
  void shouldMatchTheCookieNameWhateverItsCaseWhenReading() {
    assertEquals(
        List.of("a", "b", "c"),
        Requests.cookieValues(
            List.of("Authorization=a", "AUTHORIZATION=b; authorization=c"), "authorization"));
  }

  // ---------------------------------------------------------------- of(HandshakeRequest)

  private static HandshakeRequest handshake(
      Map<String, List<String>> headers, String uri, String query) {
    return (HandshakeRequest)
        Proxy.newProxyInstance(
            RequestsTest.class.getClassLoader(),
            new Class<?>[] {HandshakeRequest.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getHeaders" -> headers;
                  case "getRequestURI" -> uri == null ? null : URI.create(uri);
                  case "getQueryString" -> query;
                  case "getParameterMap" -> Map.of();
                  case "toString" -> "handshake " + uri;
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> null;
                });
  }

  @Test
  void shouldTakeTheSchemeFromTheRequestUriWhenTheHandshakeIsTaken() {
    Map<String, List<String>> none = Map.of();
    assertEquals("http", Requests.of(handshake(none, "ws://h/apps/a/stream", null)).scheme());
    assertEquals("https", Requests.of(handshake(none, "wss://h/apps/a/stream", null)).scheme());
    assertEquals("https", Requests.of(handshake(none, "WSS://h/apps/a/stream", null)).scheme());
    assertEquals("https", Requests.of(handshake(none, "https://h/apps/a/stream", null)).scheme());
    assertEquals("http", Requests.of(handshake(none, "/apps/a/stream", null)).scheme());
    assertEquals("http", Requests.of(handshake(none, null, null)).scheme());
  }

  @Test
  void shouldTakeAGetWithItsHeadersAndQueryWhenTheHandshakeIsTaken() {
    Map<String, List<String>> headers = new HashMap<>();
    headers.put("authorization", List.of("bearer t"));
    headers.put("HOST", List.of("h"));
    headers.put("sec-websocket-protocol", List.of("p1", "p2"));
    headers.put("cookie", List.of("authorization=c"));
    RequestCredentials credentials =
        Requests.of(handshake(headers, "wss://h/tail/?app=a", "app=a"));

    assertEquals("GET", credentials.method());
    assertEquals("bearer t", credentials.authorization(), "header names are case-insensitive");
    assertEquals("h", credentials.host());
    assertEquals("p1,p2", credentials.subprotocols());
    assertEquals("c", credentials.cookieToken());
    assertEquals("app=a", credentials.query());
    assertFalse(credentials.ambiguous());
  }

  @Test
  void shouldBeAmbiguousWhenTheHandshakeCarriedTwoAuthorizationCookies() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Cookie", List.of("authorization=a", "Authorization=b"));
    RequestCredentials credentials = Requests.of(handshake(headers, "ws://h/x", null));
    assertTrue(credentials.ambiguous());
    assertNull(credentials.cookieToken());
  }

  // ---------------------------------------------------------------- of(HttpServletRequest)

  @Test
  void shouldAskTheServletRequestForEveryValueOfEachHeaderWhenTaken() {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("authorization", List.of("bearer a", "bearer b"));
    headers.put("x-loggregator-signature", List.of("sig"));
    headers.put("cookie", List.of("authorization=c"));
    HttpServletRequest request =
        (HttpServletRequest)
            Proxy.newProxyInstance(
                RequestsTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "getHeaders" ->
                          Collections.enumeration(
                              headers.getOrDefault((String) args[0], List.of()));
                      case "getMethod" -> "DELETE";
                      case "getScheme" -> "https";
                      case "getQueryString" -> "q=1";
                      default -> null;
                    });

    RequestCredentials credentials = Requests.of(request);

    assertEquals("DELETE", credentials.method());
    assertEquals("https", credentials.scheme());
    assertEquals("q=1", credentials.query());
    assertEquals("sig", credentials.signature());
    assertEquals("c", credentials.cookieToken());
    assertTrue(credentials.ambiguous(), Arrays.toString(headers.keySet().toArray()));
    assertNull(credentials.authorization());
  }
}
