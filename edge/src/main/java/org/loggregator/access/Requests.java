package org.loggregator.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.server.HandshakeRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.loggregator.protocol.RequestSignature;

/** Takes the {@link RequestCredentials} of a servlet request or of a WebSocket handshake. */
public final class Requests {
  private Requests() {}

  /** The credentials of an HTTP request (a WebSocket upgrade included). */
  public static RequestCredentials of(HttpServletRequest request) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name :
        new String[] {
          "Host",
          "Origin",
          "Sec-Fetch-Site",
          "Authorization",
          RequestSignature.HEADER,
          RequestSignature.CONTENT_HEADER,
          "Sec-WebSocket-Protocol",
          "Cookie"
        }) {
      headers.put(name, Collections.list(request.getHeaders(name)));
    }
    return of(request.getMethod(), request.getScheme(), headers, request.getQueryString());
  }

  /** The credentials of a WebSocket handshake, as a server endpoint's configurator sees it. */
  public static RequestCredentials of(HandshakeRequest request) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    // Names differing only in case are one header: their values add up, so a second one counts.
    request
        .getHeaders()
        .forEach(
            (name, values) -> headers.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
    URI uri = request.getRequestURI();
    String scheme = uri == null ? null : uri.getScheme();
    String http =
        "wss".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme) ? "https" : "http";
    return of("GET", http, headers, request.getQueryString());
  }

  static RequestCredentials of(
      String method, String scheme, Map<String, List<String>> headers, String query) {
    boolean[] ambiguous = {false};
    String authorization = single(headers, "Authorization", ambiguous);
    String signature = single(headers, RequestSignature.HEADER, ambiguous);
    List<String> cookies = cookieValues(headers.get("Cookie"), RequestCredentials.COOKIE);
    if (cookies.size() > 1) {
      ambiguous[0] = true;
    }
    List<String> protocols = headers.get("Sec-WebSocket-Protocol");
    return new RequestCredentials(
        method,
        scheme,
        single(headers, "Host", ambiguous),
        single(headers, "Origin", ambiguous),
        single(headers, "Sec-Fetch-Site", ambiguous),
        authorization,
        cookies.size() == 1 ? cookies.get(0) : null,
        signature,
        protocols == null || protocols.isEmpty() ? null : String.join(",", protocols),
        query,
        single(headers, RequestSignature.CONTENT_HEADER, ambiguous),
        ambiguous[0]);
  }

  private static String single(Map<String, List<String>> headers, String name, boolean[] twice) {
    List<String> values = headers.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      twice[0] = true;
      return null;
    }
    return values.get(0);
  }

  /** Every value of the cookie {@code name} (case-insensitive) in these Cookie headers, decoded. */
  static List<String> cookieValues(List<String> cookieHeaders, String name) {
    List<String> values = new ArrayList<>();
    if (cookieHeaders == null) {
      return values;
    }
    for (String header : cookieHeaders) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase(name)) {
          String value = pair.substring(eq + 1).trim();
          if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
          }
          try {
            values.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            values.add("");
          }
        }
      }
    }
    return values;
  }
}
