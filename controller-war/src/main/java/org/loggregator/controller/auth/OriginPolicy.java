package org.loggregator.controller.auth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.loggregator.controller.config.Origins;

/**
 * Which browser origins may use this server's cookie: the server's own (the scheme and {@code Host}
 * a request came with) and those the operator allows. Origins compare as {@link Origins#normalize}
 * writes them. Immutable and thread-safe.
 */
public final class OriginPolicy {
  private final Map<String, String> allowed;

  /**
   * @param allowed origins, each as {@link Origins#normalize} accepts it
   */
  public OriginPolicy(List<String> allowed) {
    Map<String, String> byNormalized = new HashMap<>();
    for (String origin : allowed) {
      String n = Origins.normalize(origin);
      if (n == null) {
        throw new IllegalArgumentException("Not an origin: " + origin);
      }
      byNormalized.put(n, origin.strip());
    }
    this.allowed = Map.copyOf(byNormalized);
  }

  /** Whether {@code origin} is this server's own, seen from a request of this scheme and host. */
  public static boolean isOwn(String origin, String scheme, String host) {
    String normalized = Origins.normalize(origin);
    return normalized != null
        && host != null
        && normalized.equals(Origins.normalize(scheme + "://" + host));
  }

  /** Whether {@code origin} is this server's own or allowed. */
  public boolean permits(String origin, String scheme, String host) {
    return isOwn(origin, scheme, host) || isAllowListed(origin);
  }

  /**
   * Whether a browser's request that uses or sets the cookie comes from a permitted origin: a
   * request that names its {@code origin} must name this server's own or an allowed one; one that
   * names none must not be marked {@code Sec-Fetch-Site: cross-site} ({@code fetchSite}), and must
   * not be a WebSocket handshake (which browsers always send with an origin).
   */
  public boolean permitsBrowser(
      String origin, String fetchSite, String scheme, String host, boolean webSocket) {
    return origin == null
        ? !webSocket && !"cross-site".equalsIgnoreCase(fetchSite)
        : permits(origin, scheme, host);
  }

  /** Whether the operator allowed {@code origin} (another site that may use the cookie). */
  public boolean isAllowListed(String origin) {
    return allowListEntry(origin) != null;
  }

  /**
   * The allowed origin as the operator wrote it, when {@code origin} is one of them, else null: a
   * response names that, never the request's text.
   */
  public String allowListEntry(String origin) {
    String normalized = Origins.normalize(origin);
    return normalized == null ? null : allowed.get(normalized);
  }
}
