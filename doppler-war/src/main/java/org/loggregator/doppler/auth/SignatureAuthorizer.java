package org.loggregator.doppler.auth;

import java.util.function.LongSupplier;
import org.loggregator.access.Authorizer;
import org.loggregator.access.Credential;
import org.loggregator.access.Decision;
import org.loggregator.access.Refusal;
import org.loggregator.access.RequestCredentials;
import org.loggregator.access.Route;
import org.loggregator.protocol.RequestSignature;

/**
 * The doppler's one authorizer: every route needs a controller's signature (see {@link
 * RequestSignature}) over the request's method, the path the route serves for the id asked, its
 * query and its WebSocket subprotocols, made within the last minute and never seen before.
 * Thread-safe.
 */
public record SignatureAuthorizer(
    RequestSignature signature, ReplayCache replays, LongSupplier clockSeconds)
    implements Authorizer {

  @Override
  public Decision check(RequestCredentials request, Route route, String id) {
    return verify(request, route, id, false);
  }

  @Override
  public Decision admit(RequestCredentials request, Route route, String id) {
    return verify(request, route, id, true);
  }

  private Decision verify(RequestCredentials request, Route route, String id, boolean consume) {
    if (route.credential() != Credential.CONTROLLER_SIGNATURE) {
      return Decision.refuse(Refusal.UNKNOWN_ROUTE, "This route is not served here.");
    }
    if (request.ambiguous()) {
      return Decision.refuse(Refusal.MALFORMED, RequestCredentials.AMBIGUOUS);
    }
    long now = clockSeconds.getAsLong();
    RequestSignature.Check check =
        signature.verify(
            request.signature(),
            new RequestSignature.Request(
                request.method(),
                route.expand(id),
                request.query(),
                request.subprotocols(),
                request.contentDigest()),
            now);
    switch (check.verdict()) {
      case OK -> {
        long expiresAt = check.signedAt() + RequestSignature.MAX_SKEW_SECONDS;
        if (!consume) {
          return replays.seen(check.replayKey(), now) ? replayed() : Decision.ALLOW;
        }
        return switch (replays.remember(check.replayKey(), expiresAt, now)) {
          case FIRST -> Decision.ALLOW;
          case SEEN -> replayed();
          case FULL ->
              Decision.refuse(
                  Refusal.CAP, "This doppler admits no more signed requests this minute; retry.");
        };
      }
      case MISSING -> {
        return Decision.refuse(
            Refusal.NO_CREDENTIAL,
            "This endpoint serves traffic controllers only: the request has no "
                + RequestSignature.HEADER
                + " header.");
      }
      case MALFORMED -> {
        return Decision.refuse(
            Refusal.MALFORMED,
            "The "
                + RequestSignature.HEADER
                + " header must be t=<unix seconds>,n=<32 hex>,sig=<64 hex>.");
      }
      case EXPIRED -> {
        return Decision.refuse(
            Refusal.EXPIRED,
            "The "
                + RequestSignature.HEADER
                + " header is more than "
                + RequestSignature.MAX_SKEW_SECONDS
                + " s away from this doppler's clock.");
      }
      default -> {
        return Decision.refuse(
            Refusal.BAD_SIGNATURE,
            "The "
                + RequestSignature.HEADER
                + " header does not match this request and the shared secret.");
      }
    }
  }

  private static Decision replayed() {
    return Decision.refuse(
        Refusal.REPLAY, "This signed request was seen before: sign each request anew.");
  }
}
