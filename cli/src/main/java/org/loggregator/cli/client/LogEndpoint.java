package org.loggregator.cli.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The base URL of a traffic controller, such as {@code http://127.0.0.1:8080} or {@code
 * https://logs.example.com/loggregator}; immutable. HTTP requests use it as given, WebSockets with
 * {@code ws://} or {@code wss://} in its place.
 */
public record LogEndpoint(String scheme, String authority, String path) {
  /** The all-in-one server on this machine. */
  public static final String DEFAULT = "http://127.0.0.1:8080";

  /**
   * Parses an absolute {@code http}, {@code https}, {@code ws} or {@code wss} URL with a host.
   *
   * @return the endpoint, or null when {@code text} is not one
   */
  public static LogEndpoint parse(String text) {
    try {
      URI uri = new URI(text.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      String httpScheme =
          switch (scheme) {
            case "http", "ws" -> "http";
            case "https", "wss" -> "https";
            default -> null;
          };
      if (httpScheme == null
          || uri.getHost() == null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        return null;
      }
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      return new LogEndpoint(httpScheme, uri.getRawAuthority(), path);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** {@code GET /apps/{appId}/recentlogs}. */
  public URI recentLogs(String appId) {
    return recentLogs(appId, "");
  }

  /** {@code GET /apps/{appId}/recentlogs?query}; no query when it is empty. */
  public URI recentLogs(String appId, String query) {
    return URI.create(
        toString()
            + "/apps/"
            + pathSegment(appId)
            + "/recentlogs"
            + (query.isEmpty() ? "" : "?" + query));
  }

  /** The WebSocket {@code /apps/{appId}/stream}. */
  public URI stream(String appId) {
    String wsScheme = "https".equals(scheme) ? "wss" : "ws";
    return URI.create(
        wsScheme + "://" + authority + path + "/apps/" + pathSegment(appId) + "/stream");
  }

  /** The endpoint as http(s) URL, without a trailing slash. */
  @Override
  public String toString() {
    return scheme + "://" + authority + path;
  }

  /** Percent-encodes everything but RFC 3986 unreserved characters. */
  static String pathSegment(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
