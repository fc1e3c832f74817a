package org.loggregator.protocol;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes and checks the {@value #HEADER} header a controller sends with each request to a doppler;
 * thread-safe (each call uses its own {@link Mac}, which is fine once per request).
 *
 * <p>The value is {@code t=<unix seconds>,n=<32 hex digits, random>,sig=<64 lowercase hex digits>},
 * where sig is HMAC-SHA256 with the shared secret over the UTF-8 bytes of
 *
 * <pre>
 * loggregator-request-v2 \n t \n n \n METHOD \n path \n query \n subprotocols \n content
 * </pre>
 *
 * <p>path is the request path after the doppler's base URL (its context root left out, so that what
 * is signed is what the doppler's route table matches; no query), query the raw query string
 * without {@code ?} (empty when none), and subprotocols the {@code Sec-WebSocket-Protocol} request
 * header with its comma-separated values trimmed and joined by {@code ,} (empty when none). A
 * {@code t} more than {@value #MAX_SKEW_SECONDS} seconds away from the verifier's clock, either
 * way, is refused; so is, by the verifier, a signature it has seen before ({@link
 * Check#replayKey()}), which the random {@code n} keeps two honest requests from sharing.
 */
public final class RequestSignature {

  /** Name of the HTTP request header carrying the signature. */
  public static final String HEADER = "X-Loggregator-Signature";

  /** Name of the header stating the SHA-256 of a signed request's body (hex). */
  public static final String CONTENT_HEADER = "X-Loggregator-Content-SHA256";

  /** How far, in seconds, a signature's time may be from the verifier's clock. */
  public static final long MAX_SKEW_SECONDS = 60;

  private static final String VERSION = "loggregator-request-v2";
  private static final String ALGORITHM = "HmacSHA256";
  private static final int SIG_HEX_LENGTH = 64;
  private static final int NONCE_HEX_LENGTH = 32;
  private static final int MAX_TIME_DIGITS = 18; // keeps t within a long
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a signature covers: one request. */
  public record Request(
      String method, String path, String query, String subprotocols, String content) {
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      query = query == null ? "" : query;
      subprotocols = normalizeSubprotocols(subprotocols);
      content = content == null ? "" : content;
    }

    /** A request without a body. */
    public Request(String method, String path, String query, String subprotocols) {
      this(method, path, query, subprotocols, "");
    }

    /** A GET of {@code path} (which may carry a query after {@code ?}), no subprotocol. */
    public static Request get(String pathAndQuery) {
      int q = pathAndQuery.indexOf('?');
      return q < 0
          ? new Request("GET", pathAndQuery, "", "")
          : new Request("GET", pathAndQuery.substring(0, q), pathAndQuery.substring(q + 1), "");
    }

    /** The same request, asking for these WebSocket subprotocols. */
    public Request withSubprotocols(String value) {
      return new Request(method, path, query, value, content);
    }

    /** The same request, carrying {@code body} (its digest is signed, see {@link #digest}). */
    public Request withBody(byte[] body) {
      return new Request(method, path, query, subprotocols, digest(body));
    }

    String signingInput(String t, String n) {
      return String.join("\n", VERSION, t, n, method, path, query, subprotocols, content);
    }
  }

  /** What {@link #verify} concluded about one header value. */
  public enum Verdict {
    /** Well formed, recent, and signed with the shared secret for this request. */
    OK,
    /** No header, or a blank one. */
    MISSING,
    /** Not of the form {@code t=<digits>,n=<32 hex>,sig=<64 hex>}. */
    MALFORMED,
    /** Its time is more than {@link #MAX_SKEW_SECONDS} from the verifier's clock. */
    EXPIRED,
    /** Well formed and recent, but the HMAC does not match: wrong secret, request or time. */
    BAD_SIGNATURE
  }

  /**
   * The verdict on one header, and for a valid one the key under which a verifier remembers it to
   * refuse it when seen again (the signature's bytes, in lowercase hex), and the time it was made.
   */
  public record Check(Verdict verdict, String replayKey, long signedAt) {}

  /** The signing key first, then every other key that verifies. */
  private final List<SecretKeySpec> keys;

  /** Signs with the first of {@code secrets} and accepts a signature by any of them. */
  public RequestSignature(SharedSecrets secrets) {
    List<SecretKeySpec> all = new ArrayList<>();
    for (byte[] secret : secrets.all()) {
      all.add(new SecretKeySpec(secret, ALGORITHM));
    }
    keys = List.copyOf(all);
  }

  /**
   * Creates a signer for {@code secret} alone.
   *
   * @throws IllegalArgumentException if the shared secret is empty
   */
  public RequestSignature(byte[] secret) {
    Objects.requireNonNull(secret, "shared secret");
    if (secret.length == 0) {
      throw new IllegalArgumentException(
          "The shared secret is empty: doppler requests need a non-empty shared secret.");
    }
    keys = List.of(new SecretKeySpec(secret, ALGORITHM));
  }

  /**
   * Creates a signer for the UTF-8 bytes of {@code secret}.
   *
   * @throws IllegalArgumentException if the shared secret is empty
   */
  public RequestSignature(String secret) {
    this(Objects.requireNonNull(secret, "shared secret").getBytes(StandardCharsets.UTF_8));
  }

  /** The header value for {@code request} made at {@code nowSeconds}, with a fresh nonce. */
  public String header(Request request, long nowSeconds) {
    byte[] nonce = new byte[NONCE_HEX_LENGTH / 2];
    RANDOM.nextBytes(nonce);
    return header(request, nowSeconds, HEX.formatHex(nonce));
  }

  /** The header value with a given nonce (32 lowercase hex digits): for tests and vectors. */
  public String header(Request request, long nowSeconds, String nonce) {
    String t = Long.toString(nowSeconds);
    return "t="
        + t
        + ",n="
        + nonce
        + ",sig="
        + HEX.formatHex(hmac(keys.get(0), request.signingInput(t, nonce)));
  }

  /**
   * Checks {@code headerValue} (null when the header is absent) for {@code request} received at
   * {@code nowSeconds}. The HMAC is compared in constant time. Replays are the caller's to refuse,
   * by remembering {@link Check#replayKey()} for twice {@link #MAX_SKEW_SECONDS}.
   */
  public Check verify(String headerValue, Request request, long nowSeconds) {
    Objects.requireNonNull(request, "request");
    if (headerValue == null || headerValue.isBlank()) {
      return new Check(Verdict.MISSING, null, 0);
    }
    String[] parts = headerValue.strip().split(",", -1);
    if (parts.length != 3
        || !parts[0].startsWith("t=")
        || !parts[1].startsWith("n=")
        || !parts[2].startsWith("sig=")) {
      return new Check(Verdict.MALFORMED, null, 0);
    }
    String t = parts[0].substring(2);
    String n = parts[1].substring(2);
    String sigHex = parts[2].substring(4);
    if (t.isEmpty()
        || t.length() > MAX_TIME_DIGITS
        || !isDigits(t)
        || !isLowerHex(n, NONCE_HEX_LENGTH)
        || !isLowerHex(sigHex, SIG_HEX_LENGTH)) {
      return new Check(Verdict.MALFORMED, null, 0);
    }
    long signedAt = Long.parseLong(t);
    long skew = nowSeconds - signedAt;
    if (skew > MAX_SKEW_SECONDS || skew < -MAX_SKEW_SECONDS) {
      return new Check(Verdict.EXPIRED, null, signedAt);
    }
    // t is signed as sent, so leading zeros cannot make a valid signature look wrong.
    byte[] sig = HEX.parseHex(sigHex);
    String input = request.signingInput(t, n);
    boolean ok = false;
    for (SecretKeySpec key : keys) {
      ok |= MessageDigest.isEqual(hmac(key, input), sig);
    }
    return ok
        ? new Check(Verdict.OK, sigHex, signedAt)
        : new Check(Verdict.BAD_SIGNATURE, null, signedAt);
  }

  /** The lowercase hex SHA-256 of {@code body}: the value of {@value #CONTENT_HEADER}. */
  public static String digest(byte[] body) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM offers no SHA-256, which every JVM must", e);
    }
  }

  /**
   * A {@code Sec-WebSocket-Protocol} value as signed: its comma-separated values trimmed, empty
   * ones dropped, joined by {@code ,}; empty for null.
   */
  public static String normalizeSubprotocols(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (String item : value.split(",")) {
      String trimmed = item.strip();
      if (!trimmed.isEmpty()) {
        out.append(out.length() == 0 ? "" : ",").append(trimmed);
      }
    }
    return out.toString();
  }

  private static byte[] hmac(SecretKeySpec key, String input) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("This JVM cannot compute " + ALGORITHM, e);
    }
  }

  private static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Exactly {@code length} digits of 0-9 and a-f: one spelling per value, so one replay key. */
  private static boolean isLowerHex(String s, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
