package org.loggregator.access;

import java.util.Map;

/**
 * Why a request was refused: each reason has the HTTP status it is answered with and the tag its
 * refusals are counted under ({@code reason="…"}).
 */
public enum Refusal {
  /** No token (or signature) at all. */
  NO_CREDENTIAL(401, "no_credential"),
  /** A credential that cannot be parsed, or more than one where one is expected. */
  MALFORMED(401, "malformed"),
  /** Signed with another key or algorithm, tampered with, or unsigned. */
  BAD_SIGNATURE(401, "bad_signature"),
  /** Expired, or not valid yet. */
  EXPIRED(401, "expired"),
  /** Issued by someone else. */
  ISSUER(401, "issuer"),
  /** Meant for another audience. */
  AUDIENCE(401, "audience"),
  /** A signed request seen before. */
  REPLAY(401, "replay"),
  /** The keys that verify tokens could not be fetched. */
  KEYS_UNAVAILABLE(503, "keys_unavailable"),
  /** A valid token that does not name the app. */
  OTHER_APP(403, "other_app"),
  /** A valid token without the scope the route needs. */
  SCOPE(403, "scope"),
  /** A browser request from an origin that is neither this server nor allowed. */
  ORIGIN(403, "origin"),
  /** A cap on sessions or connections is reached. */
  CAP(429, "cap"),
  /** No route has this path (or the path is not in canonical form). */
  UNKNOWN_ROUTE(404, "unknown_route"),
  /** The route exists, not for this method. */
  METHOD(405, "method"),
  /** The route exists, but its id is missing or not a valid id. */
  BAD_REQUEST(400, "bad_request");

  private static final Map<String, String> CHALLENGE =
      Map.of("WWW-Authenticate", "Bearer realm=\"loggregator\"");
  private static final Map<String, String> RETRY_LATER = Map.of("Retry-After", "10");

  private final int status;
  private final String tag;

  Refusal(int status, String tag) {
    this.status = status;
    this.tag = tag;
  }

  /** The HTTP status a refused request is answered with. */
  public int status() {
    return status;
  }

  /**
   * The headers a response refused for this reason carries besides its sentence: the Bearer
   * challenge with a 401, when to retry with a 429.
   */
  public Map<String, String> headers() {
    return switch (status) {
      case 401 -> CHALLENGE;
      case 429 -> RETRY_LATER;
      default -> Map.of();
    };
  }

  /** The value of the {@code reason} tag of the refusal counter. */
  public String tag() {
    return tag;
  }
}
