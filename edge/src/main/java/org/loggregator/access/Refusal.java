package org.loggregator.access;

import java.util.Locale;
import java.util.Map;

/**
 * Why a request was refused: each reason has the HTTP status it is answered with and the tag its
 * refusals are counted under ({@code reason="…"}), its name in lower case.
 */
public enum Refusal {
  /** No token (or signature) at all. */
  NO_CREDENTIAL(401),
  /** A credential that cannot be parsed, or more than one where one is expected. */
  MALFORMED(401),
  /** Signed with another key or algorithm, tampered with, or unsigned. */
  BAD_SIGNATURE(401),
  /** Expired, or not valid yet. */
  EXPIRED(401),
  /** Issued by someone else. */
  ISSUER(401),
  /** Meant for another audience. */
  AUDIENCE(401),
  /** A signed request seen before. */
  REPLAY(401),
  /** The keys that verify tokens could not be fetched. */
  KEYS_UNAVAILABLE(503),
  /** A valid token that does not name the app. */
  OTHER_APP(403),
  /** A valid token without the scope the route needs. */
  SCOPE(403),
  /** A browser request from an origin that is neither this server nor allowed. */
  ORIGIN(403),
  /** A cap on sessions or connections is reached. */
  CAP(429),
  /** No route has this path (or the path is not in canonical form). */
  UNKNOWN_ROUTE(404),
  /** The route exists, not for this method. */
  METHOD(405),
  /** The route exists, but its id is missing or not a valid id. */
  BAD_REQUEST(400);

  private static final Map<String, String> CHALLENGE =
      Map.of("WWW-Authenticate", "Bearer realm=\"loggregator\"");
  private static final Map<String, String> RETRY_LATER = Map.of("Retry-After", "10");

  private final int status;
  private final String tag = name().toLowerCase(Locale.ROOT);

  Refusal(int status) {
    this.status = status;
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

  /** The value of the {@code reason} tag of the refusal counter: the name in lower case. */
  public String tag() {
    return tag;
  }
}
