package org.loggregator.controller.auth;

import org.loggregator.access.Authorizer;
import org.loggregator.access.Credential;
import org.loggregator.access.Decision;
import org.loggregator.access.Refusal;
import org.loggregator.access.RequestCredentials;
import org.loggregator.access.Route;

/**
 * The controller's one authorizer: a bearer token from the {@code Authorization} header, or else
 * from the {@code authorization} cookie, verified, then asked for the app the route serves (or the
 * firehose). A token from the cookie is a browser's, so its request must come from this server's
 * own origin or an allowed one. Thread-safe.
 */
public final class AppAuthorizer implements Authorizer {
  private final TokenVerifier tokens;
  private final OriginPolicy origins;

  public AppAuthorizer(TokenVerifier tokens, OriginPolicy origins) {
    this.tokens = tokens;
    this.origins = origins;
  }

  @Override
  public Decision check(RequestCredentials request, Route route, String id) {
    switch (route.credential()) {
      case PUBLIC -> {
        return Decision.ALLOW;
      }
      case APP_LOGS, FIREHOSE, ADMIN -> {
        if (request.ambiguous()) {
          return Decision.refuse(Refusal.MALFORMED, RequestCredentials.AMBIGUOUS);
        }
        if (request.byCookie() && route.credential() == Credential.ADMIN) {
          return Decision.refuse(
              Refusal.NO_CREDENTIAL,
              "The admin API takes a bearer token in the Authorization header, not the cookie.");
        }
        if (request.byCookie()) {
          Decision origin = browserOrigin(request, route.webSocket());
          if (!origin.allowed()) {
            return origin;
          }
        }
        Grant grant;
        try {
          grant = tokens.verify(request.bearer());
        } catch (TokenRefusedException e) {
          return e.decision();
        }
        return switch (route.credential()) {
          case APP_LOGS -> grant.forApp(id);
          case FIREHOSE -> grant.forFirehose();
          default -> grant.forAdmin();
        };
      }
      default -> {
        return Decision.refuse(Refusal.UNKNOWN_ROUTE, "This route is not served here.");
      }
    }
  }

  /**
   * A cookie rides along on requests other sites make, so a request authenticated by it must come
   * from a permitted origin: a WebSocket handshake always names its origin, and a plain request
   * that names one (or that the browser marks cross-site) must name a permitted one.
   */
  private Decision browserOrigin(RequestCredentials request, boolean webSocket) {
    return origins.permitsBrowser(
            request.origin(), request.fetchSite(), request.scheme(), request.host(), webSocket)
        ? Decision.ALLOW
        : Decision.refuse(
            Refusal.ORIGIN,
            "A request signed in by cookie must come from this server's own page or an allowed"
                + " origin (controller.allowedOrigins).");
  }
}
