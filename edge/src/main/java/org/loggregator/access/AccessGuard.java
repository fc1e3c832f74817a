package org.loggregator.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.loggregator.edge.PlainText;

/**
 * One application's access control, as its filter and its endpoints use it: the route table, the
 * authorizer, the session caps and the refusal counters. Every endpoint that serves log data asks
 * it, with the id it serves, before it serves anything. Thread-safe.
 */
public final class AccessGuard {
  private static final String SLOT = "loggregator.sessionSlot";

  /** Marks a handshake that found its cap reached when it was answered. */
  private static final Object FULL = new Object();

  private static final int MAX_CLOSE_REASON_BYTES = 123;

  private final RouteTable routes;
  private final Authorizer authorizer;
  private final SessionCaps caps;
  private final Refusals refusals;

  public AccessGuard(
      RouteTable routes, Authorizer authorizer, SessionCaps caps, Refusals refusals) {
    this.routes = routes;
    this.authorizer = authorizer;
    this.caps = caps;
    this.refusals = refusals;
  }

  public RouteTable routes() {
    return routes;
  }

  public Refusals refusals() {
    return refusals;
  }

  SessionCaps caps() {
    return caps;
  }

  /** The filter's check of a matched request: its credential, and for a WebSocket, the caps. */
  Decision screen(RequestCredentials request, Route route, String id) {
    Decision decision = authorizer.check(request, route, id);
    if (decision.allowed() && route.webSocket() && !caps.wouldAdmit(route, id)) {
      return capReached();
    }
    return decision;
  }

  /**
   * Admits a WebSocket session that is about to be served {@code id} on {@code route}: its
   * handshake's credentials are checked again, and it takes a slot under the caps. When refused,
   * the session is closed (1008, or 1013 for a cap), counted, and false returned: the endpoint then
   * serves nothing.
   */
  public boolean open(Session session, Route route, String id) {
    Object captured = session.getUserProperties().get(HandshakeCapture.CREDENTIALS);
    Decision decision;
    if (!(captured instanceof RequestCredentials credentials)) {
      decision = Decision.refuse(Refusal.NO_CREDENTIAL, "The handshake carried no credentials.");
    } else if (route.hasId() && !RouteTable.validId(id)) {
      decision = Decision.refuse(Refusal.BAD_REQUEST, RouteTable.BAD_ID);
    } else {
      decision = authorizer.admit(credentials, route, id);
    }
    Object reserved = session.getUserProperties().remove(SLOT);
    if (decision.allowed()) {
      SessionCaps.Slot slot =
          reserved instanceof SessionCaps.Slot r && r.isFor(route, id)
              ? r
              : reserved == FULL ? null : caps.tryAcquire(route, id);
      if (reserved instanceof SessionCaps.Slot r && r != slot) {
        r.release();
      }
      if (slot != null) {
        session.getUserProperties().put(SLOT, slot);
        return true;
      }
      decision = capReached();
    } else if (reserved instanceof SessionCaps.Slot r) {
      r.release();
    }
    refusals.record(decision, "WebSocket " + route.template());
    CloseReason.CloseCode code =
        decision.refusal() == Refusal.CAP
            ? CloseReason.CloseCodes.TRY_AGAIN_LATER
            : CloseReason.CloseCodes.VIOLATED_POLICY;
    try {
      session.close(new CloseReason(code, closeReason(decision.sentence())));
    } catch (IOException | RuntimeException e) {
      // gone already
    }
    return false;
  }

  /**
   * Takes the place of a WebSocket handshake of the endpoint at {@code template} under the caps, as
   * it is answered, into {@code properties} (which become the session's): the endpoint keeps it
   * when it opens, or gives it back when it refuses. Past a cap, the place is marked full and the
   * endpoint closes the session (1013).
   */
  void reserve(
      String template, Map<String, List<String>> parameters, Map<String, Object> properties) {
    for (Route route : routes.routes()) {
      if (route.webSocket() && route.template().equals(template)) {
        String name = route.queryId() != null ? route.queryId() : route.pathParameter();
        String id = name == null ? null : onlyValue(parameters.get(name));
        if (!route.hasId() || RouteTable.validId(id)) {
          SessionCaps.Slot slot = caps.tryAcquire(route, id);
          properties.put(SLOT, slot == null ? FULL : slot);
        }
        return;
      }
    }
  }

  /** Gives back the session's slot, if it took one; for the endpoint's {@code @OnClose}. */
  public void close(Session session) {
    Object slot = session.getUserProperties().remove(SLOT);
    if (slot instanceof SessionCaps.Slot s) {
      s.release();
    }
  }

  /**
   * Admits an HTTP request that is about to be served {@code id} on {@code route}.
   *
   * @throws WebApplicationException the refusal, as the response to send
   */
  public void admit(HttpServletRequest request, Route route, String id) {
    Decision decision =
        route.hasId() && !RouteTable.validId(id)
            ? Decision.refuse(Refusal.BAD_REQUEST, RouteTable.BAD_ID)
            : authorizer.admit(Requests.of(request), route, id);
    if (!decision.allowed()) {
      throw new WebApplicationException(
          refuse(decision, request.getMethod() + " " + route.template()));
    }
  }

  /**
   * Counts a refusal of {@code what} (as its method and route) and returns its answer: the
   * refusal's status and headers, and its sentence.
   */
  public Response refuse(Decision decision, String what) {
    refusals.record(decision, what);
    return PlainText.of(
        decision.refusal().status(), decision.sentence(), decision.refusal().headers());
  }

  /** The one value of a query parameter, or null when it is absent or given more than once. */
  public static String onlyValue(List<String> values) {
    return values == null || values.size() != 1 ? null : values.get(0);
  }

  private static Decision capReached() {
    return Decision.refuse(
        Refusal.CAP,
        "Too many connections are open for this app, subscription or server; retry later.");
  }

  /** A close reason fits in 123 bytes of UTF-8. */
  static String closeReason(String sentence) {
    byte[] bytes = sentence.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_CLOSE_REASON_BYTES) {
      return sentence;
    }
    int end = sentence.length();
    while (sentence.substring(0, end).getBytes(StandardCharsets.UTF_8).length
        > MAX_CLOSE_REASON_BYTES - 3) {
      end--;
    }
    if (end > 0 && Character.isHighSurrogate(sentence.charAt(end - 1))) {
      end--; // not half a character (it would go out as '?')
    }
    return sentence.substring(0, end) + "...";
  }
}
