package org.loggregator.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One application's access control, as its filter and its endpoints use it: the route table, the
 * authorizer, the session caps and the refusal counters. Every endpoint that serves log data asks
 * it, with the id it serves, before it serves anything. Thread-safe.
 */
public final class AccessGuard {
  private static final String SLOT = "loggregator.sessionSlot";
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

  public SessionCaps caps() {
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
    if (decision.allowed()) {
      SessionCaps.Slot slot = caps.tryAcquire(route, id);
      if (slot != null) {
        session.getUserProperties().put(SLOT, slot);
        return true;
      }
      decision = capReached();
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
      refusals.record(decision, request.getMethod() + " " + route.template());
      Response.ResponseBuilder response =
          Response.status(decision.refusal().status())
              .type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
              .entity(decision.sentence() + "\n");
      if (decision.refusal().status() == 401) {
        response.header("WWW-Authenticate", "Bearer realm=\"loggregator\"");
      }
      throw new WebApplicationException(response.build());
    }
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
