package org.loggregator.doppler.drain;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * A validated drain URL: {@code syslog://host[:port]} (TCP, port 514 by default), {@code
 * syslog-tls://host[:port]} (TLS, 6514) or {@code https://host[:port]/path} (443). Immutable.
 *
 * <p>The query parameter {@code skip-cert-verify=true}, on {@code syslog-tls} and {@code https}
 * only, turns off the verification of the drain's certificate and host name for that one drain;
 * without it, every TLS drain is verified. Other query parameters are ignored by syslog drains and
 * passed on by HTTPS drains.
 *
 * <p>Credentials never leave this class except as an HTTP {@code Authorization} header: {@link
 * #redacted()} and {@link #toString()} are {@code scheme://host:port}, without the user info, the
 * path or the query string (a path or a query often carries a token).
 */
public final class DrainUrl {

  /** The query parameter that opts a TLS drain out of certificate verification. */
  public static final String SKIP_CERT_VERIFY = "skip-cert-verify";

  /** The kinds of drain, named as their URL scheme, which is also their metric tag. */
  public enum Scheme {
    SYSLOG("syslog", 514),
    SYSLOG_TLS("syslog-tls", 6514),
    HTTPS("https", 443);

    private final String text;
    private final int defaultPort;

    Scheme(String text, int defaultPort) {
      this.text = text;
      this.defaultPort = defaultPort;
    }

    /** The URL scheme, such as {@code syslog-tls}. */
    public String text() {
      return text;
    }

    public int defaultPort() {
      return defaultPort;
    }

    static Scheme of(String scheme) {
      for (Scheme s : values()) {
        if (s.text.equals(scheme)) {
          return s;
        }
      }
      return null;
    }
  }

  private static final String SCHEMES = "use syslog://, syslog-tls:// or https://";

  /** The longest drain URL accepted, in characters. */
  public static final int MAX_LENGTH = 4096;

  /** The longest host accepted, in characters: the most a DNS name can have, with a final dot. */
  public static final int MAX_HOST_LENGTH = 254;

  private final String text;
  private final Scheme scheme;
  private final String host;
  private final int port;
  private final String path;
  private final String query;
  private final String userInfo;
  private final boolean skipCertVerify;
  private final String redacted;

  private DrainUrl(
      String text,
      Scheme scheme,
      String host,
      int port,
      String path,
      String query,
      String userInfo,
      boolean skipCertVerify) {
    this.text = text;
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.path = path;
    this.query = query;
    this.userInfo = userInfo;
    this.skipCertVerify = skipCertVerify;
    this.redacted = scheme.text + "://" + host + ":" + port;
  }

  /**
   * Parses and validates a drain URL, without resolving its host.
   *
   * @throws InvalidDrainUrlException with one sentence naming the problem (and the URL without
   *     credentials or query)
   */
  public static DrainUrl parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.isEmpty()) {
      throw new InvalidDrainUrlException("A drain URL is empty: " + SCHEMES + ".");
    }
    if (t.length() > MAX_LENGTH) {
      throw new InvalidDrainUrlException(
          "Drain URL " + sanitize(t) + " is longer than " + MAX_LENGTH + " characters.");
    }
    URI uri;
    try {
      uri = new URI(t);
    } catch (URISyntaxException e) {
      throw new InvalidDrainUrlException(
          "Drain URL " + sanitize(t) + " is malformed (" + e.getReason() + "): " + SCHEMES + ".");
    }
    String schemeText = uri.getScheme();
    if (schemeText == null) {
      throw new InvalidDrainUrlException(
          "Drain URL " + sanitize(t) + " has no scheme: " + SCHEMES + ".");
    }
    Scheme scheme = Scheme.of(schemeText.toLowerCase(Locale.ROOT));
    if (scheme == null) {
      throw new InvalidDrainUrlException(
          "Drain URL "
              + sanitize(t)
              + " has the unsupported scheme \""
              + sanitize(schemeText)
              + "\": "
              + SCHEMES
              + ".");
    }
    if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new InvalidDrainUrlException(
          "Drain URL "
              + sanitize(t)
              + " has no valid host: write "
              + scheme.text
              + "://HOST:PORT.");
    }
    if (uri.getHost().length() > MAX_HOST_LENGTH) {
      throw new InvalidDrainUrlException(
          "Drain URL "
              + sanitize(t)
              + " has a host longer than "
              + MAX_HOST_LENGTH
              + " characters.");
    }
    int port = uri.getPort() == -1 ? scheme.defaultPort : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new InvalidDrainUrlException(
          "Drain URL " + sanitize(t) + " has the invalid port " + port + ": use 1 to 65535.");
    }
    boolean skip = false;
    StringBuilder passedQuery = new StringBuilder();
    if (uri.getRawQuery() != null) {
      for (String parameter : uri.getRawQuery().split("&")) {
        int eq = parameter.indexOf('=');
        String name = eq < 0 ? parameter : parameter.substring(0, eq);
        if (!SKIP_CERT_VERIFY.equals(name)) {
          if (!parameter.isEmpty()) {
            passedQuery.append(passedQuery.length() == 0 ? "" : "&").append(parameter);
          }
          continue;
        }
        String value = eq < 0 ? "" : parameter.substring(eq + 1).toLowerCase(Locale.ROOT);
        if (scheme == Scheme.SYSLOG) {
          throw new InvalidDrainUrlException(
              "Drain URL "
                  + sanitize(t)
                  + " sets "
                  + SKIP_CERT_VERIFY
                  + ", which applies only to syslog-tls:// and https:// drains.");
        }
        if (!value.equals("true") && !value.equals("false")) {
          throw new InvalidDrainUrlException(
              "Drain URL " + sanitize(t) + " must set " + SKIP_CERT_VERIFY + " to true or false.");
        }
        skip = value.equals("true");
      }
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    return new DrainUrl(
        t,
        scheme,
        uri.getHost(),
        port,
        path,
        passedQuery.length() == 0 ? null : passedQuery.toString(),
        uri.getRawUserInfo(),
        skip);
  }

  /**
   * The text of a URL, valid or not, cut down to its scheme and authority without what looks like
   * credentials (no path, no query, no fragment), shortened to 200 characters: safe to show in a
   * notice or a log.
   */
  public static String sanitize(String text) {
    String t = text == null ? "" : text.trim();
    int cut = indexOfAny(t, "?#");
    if (cut >= 0) {
      t = t.substring(0, cut);
    }
    int authority = t.indexOf("//");
    int from = authority < 0 ? 0 : authority + 2;
    int slash = t.indexOf('/', from);
    if (slash >= 0) {
      t = t.substring(0, slash);
    }
    int at = t.lastIndexOf('@');
    if (at >= from) {
      t = t.substring(0, from) + t.substring(at + 1);
    }
    StringBuilder safe = new StringBuilder(Math.min(t.length(), 200));
    for (int i = 0; i < t.length() && safe.length() < 200; i++) {
      char c = t.charAt(i);
      safe.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return safe.toString();
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** {@code scheme://host:port}: no user info, path or query; what notices, logs and tags show. */
  public String redacted() {
    return redacted;
  }

  /** The URL exactly as it was bound; holds credentials, so never log or show it. */
  public String text() {
    return text;
  }

  public Scheme scheme() {
    return scheme;
  }

  /** The host as the URL has it: a name, an IPv4 literal, or an IPv6 literal in brackets. */
  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** Whether the URL opted out of certificate verification ({@code skip-cert-verify=true}). */
  public boolean skipCertVerify() {
    return skipCertVerify;
  }

  /** For HTTPS drains: the URL to POST to, without user info and without skip-cert-verify. */
  public URI requestUri() {
    return URI.create(
        scheme.text + "://" + host + ":" + port + path + (query == null ? "" : "?" + query));
  }

  /** For HTTPS drains: the Basic {@code Authorization} header of the URL's user info, or null. */
  public String basicAuthorization() {
    if (userInfo == null || userInfo.isEmpty()) {
      return null;
    }
    String decoded = URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DrainUrl other && text.equals(other.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** The redacted form. */
  @Override
  public String toString() {
    return redacted;
  }
}
