package org.loggregator.protocol;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes and checks the {@value #HEADER} header a controller sends with each request to a doppler;
 * thread-safe (each call uses its own {@link Mac}, which is fine once per request).
 *
 * <p>The value is {@code t=<unix seconds>,sig=<lowercase hex HMAC-SHA256(secret, "<t>\n<path>")>},
 * where path is the request path as sent, context root and query included. A {@code t} more than
 * {@value #MAX_SKEW_SECONDS} seconds away from the verifier's clock, either way, is refused.
 */
public final class RequestSignature {

  /** Name of the HTTP request header carrying the signature. */
  public static final String HEADER = "X-Loggregator-Signature";

  /** How far, in seconds, a signature's time may be from the verifier's clock. */
  public static final long MAX_SKEW_SECONDS = 300;

  private static final String ALGORITHM = "HmacSHA256";
  private static final int HMAC_HEX_LENGTH = 64;
  private static final int MAX_TIME_DIGITS = 18; // keeps t within a long
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** What {@link #verify} concluded about one header value. */
  public enum Verdict {
    /** Well formed, recent, and signed with the shared secret. */
    OK,
    /** No header, or a blank one. */
    MISSING,
    /** Not of the form {@code t=<digits>,sig=<64 hex digits>}. */
    MALFORMED,
    /** Its time is more than {@link #MAX_SKEW_SECONDS} from the verifier's clock. */
    EXPIRED,
    /** Well formed and recent, but the HMAC does not match: wrong secret, path or time. */
    BAD_SIGNATURE
  }

  private final SecretKeySpec key;

  /**
   * Creates a signer for {@code secret}.
   *
   * @throws IllegalArgumentException if the shared secret is empty
   */
  public RequestSignature(byte[] secret) {
    Objects.requireNonNull(secret, "shared secret");
    if (secret.length == 0) {
      throw new IllegalArgumentException(
          "The shared secret is empty: doppler requests need a non-empty shared secret.");
    }
    key = new SecretKeySpec(secret, ALGORITHM);
  }

  /**
   * Creates a signer for the UTF-8 bytes of {@code secret}.
   *
   * @throws IllegalArgumentException if the shared secret is empty
   */
  public RequestSignature(String secret) {
    this(Objects.requireNonNull(secret, "shared secret").getBytes(StandardCharsets.UTF_8));
  }

  /** The header value for a request to {@code path} made at {@code nowSeconds}. */
  public String header(String path, long nowSeconds) {
    Objects.requireNonNull(path, "path");
    String t = Long.toString(nowSeconds);
    byte[] sig = hmac(t, path);
    StringBuilder value = new StringBuilder(2 + t.length() + 5 + HMAC_HEX_LENGTH);
    value.append("t=").append(t).append(",sig=");
    for (byte b : sig) {
      value.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }
    return value.toString();
  }

  /**
   * Checks {@code headerValue} (null when the header is absent) for a request to {@code path}
   * received at {@code nowSeconds}. The HMAC is compared in constant time.
   */
  public Verdict verify(String headerValue, String path, long nowSeconds) {
    Objects.requireNonNull(path, "path");
    if (headerValue == null || headerValue.isBlank()) {
      return Verdict.MISSING;
    }
    String value = headerValue.strip();
    int comma = value.indexOf(',');
    if (!value.startsWith("t=") || comma < 0 || !value.startsWith("sig=", comma + 1)) {
      return Verdict.MALFORMED;
    }
    String t = value.substring(2, comma);
    String sigHex = value.substring(comma + 5);
    if (t.isEmpty() || t.length() > MAX_TIME_DIGITS || !isDigits(t)) {
      return Verdict.MALFORMED;
    }
    byte[] sig = parseHex(sigHex);
    if (sig == null) {
      return Verdict.MALFORMED;
    }
    long skew = nowSeconds - Long.parseLong(t);
    if (skew > MAX_SKEW_SECONDS || skew < -MAX_SKEW_SECONDS) {
      return Verdict.EXPIRED;
    }
    // t is signed as sent, so leading zeros cannot make a valid signature look wrong.
    return MessageDigest.isEqual(hmac(t, path), sig) ? Verdict.OK : Verdict.BAD_SIGNATURE;
  }

  private byte[] hmac(String t, String path) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal((t + "\n" + path).getBytes(StandardCharsets.UTF_8));
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

  /** ASCII only: Character.digit would also take other scripts' digits. */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** 64 hex digits (either case) to 32 bytes, or null. */
  private static byte[] parseHex(String hex) {
    if (hex.length() != HMAC_HEX_LENGTH) {
      return null;
    }
    byte[] bytes = new byte[HMAC_HEX_LENGTH / 2];
    for (int i = 0; i < bytes.length; i++) {
      int hi = hexDigit(hex.charAt(2 * i));
      int lo = hexDigit(hex.charAt(2 * i + 1));
      if (hi < 0 || lo < 0) {
        return null;
      }
      bytes[i] = (byte) ((hi << 4) | lo);
    }
    return bytes;
  }
}
