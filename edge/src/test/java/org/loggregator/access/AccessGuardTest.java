package org.loggregator.access;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.loggregator.metrics.MetricName;

class AccessGuardTest {
  private static final Route STREAM = Route.webSocket("/apps/{appId}/stream", Credential.APP_LOGS);
  private static final Route RECENT_LOGS =
      Route.http("GET", "/apps/{appId}/recentlogs", Credential.APP_LOGS);
  private static final Route SET_COOKIE = Route.http("POST", "/set-cookie", Credential.PUBLIC);
  private static final RouteTable TABLE = new RouteTable(List.of(STREAM, RECENT_LOGS, SET_COOKIE));
  private static final RequestCredentials CREDENTIALS =
      new RequestCredentials(
          "GET", "https", "h", null, null, "bearer t", null, null, null, null, null, false);

  private final List<RequestCredentials> asked = new ArrayList<>();
  private final List<String> how = new ArrayList<>();

  private Authorizer allowAll() {
    return new Authorizer() {
      @Override
      public Decision check(RequestCredentials request, Route route, String id) {
        asked.add(request);
        how.add("check " + id);
        return Decision.ALLOW;
      }

      @Override
      public Decision admit(RequestCredentials request, Route route, String id) {
        asked.add(request);
        how.add("admit " + id);
        return Decision.ALLOW;
      }
    };
  }

  private static Authorizer refusing(Refusal reason, String sentence) {
    return (request, route, id) -> Decision.refuse(reason, sentence);
  }

  private static Refusals refusals() {
    return new Refusals(
        MetricName.localCounters(), Map.of(), System::nanoTime, Duration.ofHours(1));
  }

  private AccessGuard guard(Authorizer authorizer, SessionCaps caps) {
    return new AccessGuard(TABLE, authorizer, caps, refusals());
  }

  /** A session whose user properties are a map the test holds, recording how it is closed. */
  private static final class FakeSession {
    final Map<String, Object> properties = new HashMap<>();
    final AtomicReference<CloseReason> closed = new AtomicReference<>();
    boolean failClose;
    final Session session =
        (Session)
            Proxy.newProxyInstance(
                AccessGuardTest.class.getClassLoader(),
                new Class<?>[] {Session.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "getUserProperties" -> properties;
                      case "close" -> {
                        if (failClose) {
                          throw new IOException("gone");
                        }
                        closed.set(args == null ? null : (CloseReason) args[0]);
                        yield null;
                      }
                      case "getId" -> "s1";
                      case "isOpen" -> closed.get() == null;
                      case "hashCode" -> System.identityHashCode(proxy);
                      case "equals" -> proxy == args[0];
                      case "toString" -> "fake session";
                      default -> null;
                    });

    FakeSession withCredentials(RequestCredentials credentials) {
      properties.put(HandshakeCapture.CREDENTIALS, credentials);
      return this;
    }
  }

  // ---------------------------------------------------------------- open(Session, …)

  @Test
  void shouldRefuseAndCloseWithPolicyViolationWhenTheHandshakeCarriedNoCredentials() {
    AccessGuard guard = guard(allowAll(), new SessionCaps(10, 10, 10));
    FakeSession fake = new FakeSession();

    assertFalse(guard.open(fake.session, STREAM, "a"));

    assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, fake.closed.get().getCloseCode());
    assertEquals(1008, fake.closed.get().getCloseCode().getCode());
    assertTrue(asked.isEmpty(), "the authorizer is not asked without credentials");
    assertEquals(0, guard.caps().open());
    assertEquals(1, guard.refusals().count(Refusal.NO_CREDENTIAL));
  }

  @Test
  void shouldRefuseWhenTheCapturedCredentialsAreOfAnotherType() {
    AccessGuard guard = guard(allowAll(), new SessionCaps(10, 10, 10));
    FakeSession fake = new FakeSession();
    fake.properties.put(HandshakeCapture.CREDENTIALS, "bearer forged");

    assertFalse(guard.open(fake.session, STREAM, "a"));
    assertEquals(1008, fake.closed.get().getCloseCode().getCode());
  }

  @Test
  void shouldAdmitAndTakeASlotWhenTheAuthorizerAllows() {
    AccessGuard guard = guard(allowAll(), new SessionCaps(10, 10, 10));
    FakeSession fake = new FakeSession().withCredentials(CREDENTIALS);

    assertTrue(guard.open(fake.session, STREAM, "a"));

    assertNull(fake.closed.get());
    assertEquals(1, guard.caps().open());
    assertEquals(List.of("admit a"), how, "the session consumes its credential: admit");
    assertSame(CREDENTIALS, asked.get(0));
  }

  @Test
  void shouldGiveTheSlotBackOnceWhenTheSessionCloses() {
    AccessGuard guard = guard(allowAll(), new SessionCaps(10, 10, 10));
    FakeSession fake = new FakeSession().withCredentials(CREDENTIALS);
    assertTrue(guard.open(fake.session, STREAM, "a"));

    guard.close(fake.session);
    guard.close(fake.session);

    assertEquals(0, guard.caps().open());
  }

  @Test
  void shouldDoNothingWhenASessionThatTookNoSlotCloses() {
    AccessGuard guard = guard(allowAll(), new SessionCaps(10, 10, 10));
    FakeSession held = new FakeSession().withCredentials(CREDENTIALS);
    assertTrue(guard.open(held.session, STREAM, "a"));
    FakeSession refused = new FakeSession();
    assertFalse(guard.open(refused.session, STREAM, "a"));

    guard.close(refused.session);

    assertEquals(1, guard.caps().open());
  }

  @Test
  void shouldCloseWithTryAgainLaterWhenACapIsReached() {
    AccessGuard guard = guard(allowAll(), new SessionCaps(10, 1, 10));
    FakeSession first = new FakeSession().withCredentials(CREDENTIALS);
    FakeSession second = new FakeSession().withCredentials(CREDENTIALS);
    assertTrue(guard.open(first.session, STREAM, "a"));

    assertFalse(guard.open(second.session, STREAM, "a"));

    assertEquals(CloseReason.CloseCodes.TRY_AGAIN_LATER, second.closed.get().getCloseCode());
    assertEquals(1013, second.closed.get().getCloseCode().getCode());
    assertEquals(1, guard.caps().open());
    assertEquals(1, guard.refusals().count(Refusal.CAP));
    assertTrue(second.closed.get().getReasonPhrase().contains("retry later"));
  }

  @Test
  void shouldCloseWithPolicyViolationWhenTheIdIsInvalid() {
    AccessGuard guard = guard(allowAll(), new SessionCaps(10, 10, 10));
    for (String id : new String[] {null, "", "..", "a b", "a".repeat(129)}) {
      FakeSession fake = new FakeSession().withCredentials(CREDENTIALS);

      assertFalse(guard.open(fake.session, STREAM, id), String.valueOf(id));

      assertEquals(1008, fake.closed.get().getCloseCode().getCode());
      assertEquals(RouteTable.BAD_ID, fake.closed.get().getReasonPhrase());
    }
    assertTrue(asked.isEmpty(), "an invalid id is refused before the authorizer is asked");
    assertEquals(5, guard.refusals().count(Refusal.BAD_REQUEST));
    assertEquals(0, guard.caps().open());
  }

  @Test
  void shouldCloseWithTheAuthorizersSentenceWhenItRefuses() {
    AccessGuard guard =
        guard(refusing(Refusal.OTHER_APP, "The token does not name this app."), caps());
    FakeSession fake = new FakeSession().withCredentials(CREDENTIALS);

    assertFalse(guard.open(fake.session, STREAM, "a"));

    assertEquals(1008, fake.closed.get().getCloseCode().getCode());
    assertEquals("The token does not name this app.", fake.closed.get().getReasonPhrase());
    assertEquals(0, guard.caps().open(), "a refused session takes no slot");
    assertEquals(1, guard.refusals().count(Refusal.OTHER_APP));
  }

  @Test
  void shouldStillRefuseWhenClosingTheSessionFails() {
    AccessGuard guard = guard(refusing(Refusal.SCOPE, "No."), caps());
    FakeSession fake = new FakeSession().withCredentials(CREDENTIALS);
    fake.failClose = true;

    assertFalse(assertDoesNotThrow(() -> guard.open(fake.session, STREAM, "a")));
  }

  @Test
  void shouldAdmitARouteWithoutIdWhenTheIdIsNull() {
    AccessGuard guard = guard(allowAll(), caps());
    Route noId = Route.webSocket("/events", Credential.PUBLIC);
    FakeSession fake = new FakeSession().withCredentials(CREDENTIALS);

    assertTrue(guard.open(fake.session, noId, null));
  }

  private static SessionCaps caps() {
    return new SessionCaps(10, 10, 10);
  }

  // ---------------------------------------------------------------- screen

  @Test
  void shouldCheckWithoutConsumingAndSayCapWhenScreeningAWebSocketOverItsCap() {
    AccessGuard guard = guard(allowAll(), new SessionCaps(10, 1, 10));
    assertTrue(guard.screen(CREDENTIALS, STREAM, "a").allowed());
    assertEquals(List.of("check a"), how);

    FakeSession fake = new FakeSession().withCredentials(CREDENTIALS);
    assertTrue(guard.open(fake.session, STREAM, "a"));

    assertEquals(Refusal.CAP, guard.screen(CREDENTIALS, STREAM, "a").refusal());
    assertTrue(guard.screen(CREDENTIALS, RECENT_LOGS, "a").allowed(), "caps are for WebSockets");
    assertEquals(
        Refusal.OTHER_APP,
        guard(refusing(Refusal.OTHER_APP, "x"), caps()).screen(CREDENTIALS, STREAM, "a").refusal());
  }

  // ---------------------------------------------------------------- closeReason

  @Test
  void shouldKeepAShortSentenceWhenMakingACloseReason() {
    assertEquals("Short.", AccessGuard.closeReason("Short."));
    String exactly = "x".repeat(123);
    assertEquals(exactly, AccessGuard.closeReason(exactly));
  }

  @Test
  void shouldFitIn123BytesWhenTheSentenceIsLongAndMultiByte() {
    for (String sentence :
        List.of(
            "x".repeat(124),
            "Ce jeton n'a pas la portée requise pour lire les journaux de cette application: "
                .repeat(3),
            "\u65e5\u672c\u8a9e\u306e\u6587\u3002".repeat(40),
            "a" + "\ud83d\ude00".repeat(40),
            "\ud83d\ude00".repeat(40))) {
      String reason = AccessGuard.closeReason(sentence);
      int bytes = reason.getBytes(StandardCharsets.UTF_8).length;
      assertTrue(bytes <= 123, bytes + " bytes: " + reason);
      assertTrue(bytes >= 123 - 3 - 3, "cut no more than needed: " + bytes);
      assertTrue(reason.endsWith("..."), reason);
      assertTrue(sentence.startsWith(reason.substring(0, reason.length() - 3)));
      assertTrue(wholeCharacters(reason), "no half of a surrogate pair is left: " + reason);
      assertDoesNotThrow(
          () -> new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, reason), sentence);
    }
  }

  private static boolean wholeCharacters(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- admit(HttpServletRequest, …)

  private static HttpServletRequest request(String method, Map<String, List<String>> headers) {
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            AccessGuardTest.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, m, args) ->
                switch (m.getName()) {
                  case "getHeaders" ->
                      Collections.enumeration(headers.getOrDefault((String) args[0], List.of()));
                  case "getMethod" -> method;
                  case "getScheme" -> "https";
                  case "getQueryString" -> null;
                  case "getRequestURI" -> "/apps/a/recentlogs";
                  default -> null;
                });
  }

  @Test
  void shouldReturnAndConsumeWhenTheAuthorizerAdmitsAnHttpRequest() {
    AccessGuard guard = guard(allowAll(), caps());
    Map<String, List<String>> headers = Map.of("Authorization", List.of("bearer t"));

    assertDoesNotThrow(() -> guard.admit(request("GET", headers), RECENT_LOGS, "a"));

    assertEquals(List.of("admit a"), how);
    assertEquals("bearer t", asked.get(0).authorization());
    assertEquals(0, guard.caps().open(), "an HTTP request takes no session slot");
  }

  @Test
  void shouldThrowTheRefusalWithAChallengeWhenAnHttpRequestIsRefusedWith401() {
    AccessGuard guard = guard(refusing(Refusal.EXPIRED, "The token expired."), caps());

    WebApplicationException e =
        assertThrows(
            WebApplicationException.class,
            () -> guard.admit(request("GET", Map.of()), RECENT_LOGS, "a"));

    Response response = e.getResponse();
    assertEquals(401, response.getStatus());
    assertEquals("Bearer realm=\"loggregator\"", response.getHeaderString("WWW-Authenticate"));
    assertEquals("The token expired.\n", response.getEntity());
    assertTrue(
        String.valueOf(response.getMediaType()).startsWith("text/plain"),
        String.valueOf(response.getMediaType()));
    assertEquals(1, guard.refusals().count(Refusal.EXPIRED));
  }

  @Test
  void shouldThrowTheRefusalWithoutAChallengeWhenAnHttpRequestIsRefusedOtherwise() {
    AccessGuard guard = guard(refusing(Refusal.SCOPE, "Missing scope."), caps());

    WebApplicationException e =
        assertThrows(
            WebApplicationException.class,
            () -> guard.admit(request("GET", Map.of()), RECENT_LOGS, "a"));

    assertEquals(403, e.getResponse().getStatus());
    assertNull(e.getResponse().getHeaderString("WWW-Authenticate"));
    assertEquals(1, guard.refusals().count(Refusal.SCOPE));
  }

  @Test
  void shouldAnswerACapWith429AndWhenToRetryWhenARefusalIsAnsweredByAResource() {
    AccessGuard guard = guard(allowAll(), caps());

    Response response = guard.refuse(Decision.refuse(Refusal.CAP, "Too many."), "POST /set-cookie");

    assertEquals(429, response.getStatus());
    assertEquals("10", response.getHeaderString("Retry-After"));
    assertNull(response.getHeaderString("WWW-Authenticate"));
    assertEquals("Too many.\n", response.getEntity());
    assertEquals(1, guard.refusals().count(Refusal.CAP));
  }

  @Test
  void shouldThrowBadRequestWithoutAskingTheAuthorizerWhenTheHttpIdIsInvalid() {
    AccessGuard guard = guard(allowAll(), caps());

    WebApplicationException e =
        assertThrows(
            WebApplicationException.class,
            () -> guard.admit(request("GET", Map.of()), RECENT_LOGS, "a b"));

    assertEquals(400, e.getResponse().getStatus());
    assertEquals(RouteTable.BAD_ID + "\n", e.getResponse().getEntity());
    assertTrue(asked.isEmpty());
    assertEquals(1, guard.refusals().count(Refusal.BAD_REQUEST));
  }

  @Test
  void shouldAdmitARouteWithoutIdWhenTheHttpIdIsNull() {
    AccessGuard guard = guard(allowAll(), caps());
    assertDoesNotThrow(() -> guard.admit(request("POST", Map.of()), SET_COOKIE, null));
  }

  // ---------------------------------------------------------------- onlyValue

  @Test
  void shouldGiveTheOnlyValueWhenThereIsExactlyOne() {
    assertEquals("a", AccessGuard.onlyValue(List.of("a")));
    assertNull(AccessGuard.onlyValue(null));
    assertNull(AccessGuard.onlyValue(List.of()));
    assertNull(AccessGuard.onlyValue(List.of("a", "a")));
  }

  @Test
  void shouldCountAHandshakeUnderTheCapsFromTheMomentItIsAnsweredAndKeepThatPlaceWhenItOpens() {
    SessionCaps caps = new SessionCaps(10, 1, 10);
    AccessGuard guard = guard(allowAll(), caps);
    FakeSession first = new FakeSession().withCredentials(CREDENTIALS);
    guard.reserve("/apps/{appId}/stream", Map.of("appId", List.of("a")), first.properties);

    assertEquals(1, caps.open(), "counted before the endpoint opens");
    assertFalse(caps.wouldAdmit(STREAM, "a"), "a second handshake is refused (429) already");
    assertTrue(guard.open(first.session, STREAM, "a"));
    assertEquals(1, caps.open(), "the reserved place is kept, not taken twice");

    FakeSession second = new FakeSession().withCredentials(CREDENTIALS);
    guard.reserve("/apps/{appId}/stream", Map.of("appId", List.of("a")), second.properties);
    assertFalse(guard.open(second.session, STREAM, "a"));
    assertEquals(CloseReason.CloseCodes.TRY_AGAIN_LATER, second.closed.get().getCloseCode());

    guard.close(first.session);
    assertEquals(0, caps.open());
  }

  @Test
  void shouldGiveBackAReservedPlaceWhenTheSessionIsRefused() {
    SessionCaps caps = new SessionCaps(10, 10, 10);
    AccessGuard guard = guard(refusing(Refusal.OTHER_APP, "No."), caps);
    FakeSession session = new FakeSession().withCredentials(CREDENTIALS);
    guard.reserve("/apps/{appId}/stream", Map.of("appId", List.of("a")), session.properties);
    assertEquals(1, caps.open());

    assertFalse(guard.open(session.session, STREAM, "a"));

    assertEquals(0, caps.open());
  }
}
