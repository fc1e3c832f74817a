package org.loggregator.access;

/**
 * What a request carries that access control looks at, taken once from an HTTP request or a
 * WebSocket handshake (see {@link Requests}). Header values are as sent; a header or cookie that
 * came more than once is recorded as {@link #ambiguous}, never as one of its values.
 *
 * @param method the HTTP method
 * @param scheme {@code http} or {@code https}, as the request came to this server
 * @param host the {@code Host} header
 * @param origin the {@code Origin} header, or null
 * @param fetchSite the {@code Sec-Fetch-Site} header, or null
 * @param authorization the {@code Authorization} header, or null
 * @param cookieToken the value of the {@code authorization} cookie, decoded, or null
 * @param signature the controller signature header, or null
 * @param subprotocols the {@code Sec-WebSocket-Protocol} header, or null
 * @param query the raw query string, or null
 * @param contentDigest the body digest a signed request states, or null
 * @param ambiguous whether a credential header or cookie came more than once
 */
public record RequestCredentials(
    String method,
    String scheme,
    String host,
    String origin,
    String fetchSite,
    String authorization,
    String cookieToken,
    String signature,
    String subprotocols,
    String query,
    String contentDigest,
    boolean ambiguous) {

  /** The refusal sentence for an {@link #ambiguous} request. */
  public static final String AMBIGUOUS =
      "Send each of the Authorization, Cookie: authorization, X-Loggregator-Signature, Host,"
          + " Origin and Sec-Fetch-Site headers at most once.";

  /** The name of the one cookie that carries a token. */
  public static final String COOKIE = "authorization";

  /** Whether the token comes from the cookie (so from a browser), not from a header. */
  public boolean byCookie() {
    return (authorization == null || authorization.isBlank()) && cookieToken != null;
  }

  /** The bearer credential: the header if there is one, else the cookie; null if neither. */
  public String bearer() {
    return byCookie() ? cookieToken : authorization;
  }
}
