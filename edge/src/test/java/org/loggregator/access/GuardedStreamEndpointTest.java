package org.loggregator.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.loggregator.metrics.MetricName;
import org.loggregator.protocol.EnvelopeBatch;

class GuardedStreamEndpointTest {
  private static final Route STREAM = Route.webSocket("/apps/{appId}/stream", Credential.APP_LOGS);
  private static final Route TAIL =
      Route.webSocket("/tail/", Credential.APP_LOGS).idFromQuery("app");
  private static final CloseReason GOING_AWAY =
      new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "bye");

  /** What happened, in order: the guard's questions and the feed's calls. */
  private final List<String> events = new ArrayList<>();

  private final SessionCaps caps = new SessionCaps(10, 10, 10);

  private final StreamRoute<List<String>> stream =
      StreamRoute.batched(
          STREAM,
          (feed, session, id) -> feed.add("open " + id),
          (feed, session, reason, id) -> feed.add("close " + id + " " + reason.getReasonPhrase()));

  private final StreamRoute<List<String>> tail =
      StreamRoute.unbatched(
          TAIL, (feed, session, id) -> feed.add("open " + id), (feed, session, reason, id) -> {});

  private AccessGuard guard(String allowedId) {
    Authorizer authorizer =
        (request, route, id) -> {
          events.add("asked " + id);
          return id.equals(allowedId)
              ? Decision.ALLOW
              : Decision.refuse(Refusal.OTHER_APP, "Not this app.");
        };
    return new AccessGuard(
        new RouteTable(List.of(STREAM, TAIL)),
        authorizer,
        caps,
        new Refusals(MetricName.localCounters(), Map.of(), System::nanoTime, Duration.ofHours(1)));
  }

  /** A session of a handshake that carried credentials; {@code closed} records how it closed. */
  private static Session session(
      Map<String, String> pathParameters,
      Map<String, List<String>> query,
      List<CloseReason> closed) {
    Map<String, Object> properties = new HashMap<>();
    properties.put(
        HandshakeCapture.CREDENTIALS,
        new RequestCredentials(
            "GET", "https", "h", null, null, "bearer t", null, null, null, null, null, false));
    return (Session)
        Proxy.newProxyInstance(
            GuardedStreamEndpointTest.class.getClassLoader(),
            new Class<?>[] {Session.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getUserProperties" -> properties;
                  case "getPathParameters" -> pathParameters;
                  case "getRequestParameterMap" -> query;
                  case "close" -> {
                    closed.add((CloseReason) args[0]);
                    yield null;
                  }
                  case "getId" -> "s1";
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> null;
                });
  }

  @Test
  void shouldAskTheGuardAboutThePathIdBeforeTheFeedOpensWhenASessionOpens() {
    List<CloseReason> closed = new ArrayList<>();
    var endpoint = new GuardedStreamEndpoint<>(guard("app-1"), stream, events);

    endpoint.onOpen(session(Map.of("appId", "app-1"), Map.of(), closed), null);

    assertEquals(List.of("asked app-1", "open app-1"), events);
    assertEquals(List.of(), closed);
    assertEquals(1, caps.open());
  }

  @Test
  void shouldServeNothingAndCloseWithPolicyViolationWhenTheGuardRefuses() {
    List<CloseReason> closed = new ArrayList<>();
    var endpoint = new GuardedStreamEndpoint<>(guard("app-1"), stream, events);

    endpoint.onOpen(session(Map.of("appId", "app-2"), Map.of(), closed), null);

    assertEquals(List.of("asked app-2"), events);
    assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, closed.get(0).getCloseCode());
    assertEquals(0, caps.open());
  }

  @Test
  void shouldTakeTheIdFromTheOneValueOfTheQueryParameterWhenTheRouteNamesOne() {
    var endpoint = new GuardedStreamEndpoint<>(guard("app-1"), tail, events);

    endpoint.onOpen(session(Map.of(), Map.of("app", List.of("app-1")), new ArrayList<>()), null);
    List<CloseReason> closed = new ArrayList<>();
    endpoint.onOpen(session(Map.of(), Map.of("app", List.of("app-1", "app-1")), closed), null);

    assertEquals(List.of("asked app-1", "open app-1"), events, "the repeated one was not asked");
    assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, closed.get(0).getCloseCode());
  }

  @Test
  void shouldCloseTheFeedAndGiveTheSlotBackWhenTheSessionCloses() {
    var endpoint = new GuardedStreamEndpoint<>(guard("app-1"), stream, events);
    Session session = session(Map.of("appId", "app-1"), Map.of(), new ArrayList<>());
    endpoint.onOpen(session, null);

    endpoint.onClose(session, GOING_AWAY);

    assertEquals(List.of("asked app-1", "open app-1", "close app-1 bye"), events);
    assertEquals(0, caps.open());
  }

  @Test
  void shouldServeTheRoutesPathAndSubprotocolsThroughAHandshakeCaptureWhenConfigured() {
    ServerEndpointConfig batched = stream.config(events);
    ServerEndpointConfig unbatched = tail.config(events);

    assertEquals("/apps/{appId}/stream", batched.getPath());
    assertEquals(List.of(EnvelopeBatch.SUBPROTOCOL), batched.getSubprotocols());
    assertInstanceOf(HandshakeCapture.class, batched.getConfigurator());
    assertEquals("/tail/", unbatched.getPath());
    assertEquals(List.of(), unbatched.getSubprotocols());
  }

  @Test
  void shouldHandOutAnEndpointOfTheApplicationsGuardOnlyWhileTheApplicationServes()
      throws InstantiationException {
    ServerEndpointConfig.Configurator configurator = stream.config(events).getConfigurator();
    List<CloseReason> closed = new ArrayList<>();
    try {
      HandshakeCapture.serve(guard("app-1"));

      GuardedStreamEndpoint<?> endpoint =
          configurator.getEndpointInstance(GuardedStreamEndpoint.class);
      endpoint.onOpen(session(Map.of("appId", "app-1"), Map.of(), closed), null);

      assertEquals(List.of("asked app-1", "open app-1"), events);
      HandshakeCapture.serve(null);
      assertThrows(
          InstantiationException.class,
          () -> configurator.getEndpointInstance(GuardedStreamEndpoint.class));
    } finally {
      HandshakeCapture.serve(null);
    }
    assertNull(HandshakeCapture.guard());
  }

  @Test
  void shouldRefuseARouteThatIsNotAWebSocketWhenMadeAStream() {
    Route recentLogs = Route.http("GET", "/apps/{appId}/recentlogs", Credential.APP_LOGS);

    assertThrows(
        IllegalArgumentException.class,
        () -> StreamRoute.batched(recentLogs, (feed, session, id) -> {}, (f, s, r, id) -> {}));
  }
}
