package org.loggregator.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The {@code multipart/x-protobuf} bodies of recent logs and container metrics (docs/PROTOCOL.md,
 * Multipart answers): one bare envelope per part, parts without headers, laid out as Go's {@code
 * mime/multipart} writer lays them out so that clients of the original system read them.
 */
public final class MultipartEnvelopes {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] DASHES = {'-', '-'};

  private MultipartEnvelopes() {}

  /** A fresh random boundary. */
  public static String newBoundary() {
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The Content-Type header value for a body written with {@code boundary}. */
  public static String contentType(String boundary) {
    return "multipart/x-protobuf; boundary=" + boundary;
  }

  /** Writes every envelope as one part, then the closing delimiter. */
  public static void write(List<byte[]> envelopes, String boundary, OutputStream out)
      throws IOException {
    byte[] delimiter = boundary.getBytes(StandardCharsets.US_ASCII);
    boolean first = true;
    for (byte[] envelope : envelopes) {
      if (!first) {
        out.write(CRLF);
      }
      first = false;
      out.write(DASHES);
      out.write(delimiter);
      out.write(CRLF);
      out.write(CRLF); // no part headers
      out.write(envelope);
    }
    if (!first) {
      out.write(CRLF);
    }
    out.write(DASHES);
    out.write(delimiter);
    out.write(DASHES);
    out.write(CRLF);
  }

  /** The body as bytes. */
  public static byte[] toBytes(List<byte[]> envelopes, String boundary) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(envelopes, boundary, out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  /** The boundary parameter of a Content-Type header, or null when there is none. */
  public static String boundaryOf(String contentType) {
    if (contentType == null) {
      return null;
    }
    for (String parameter : contentType.split(";")) {
      String p = parameter.trim();
      if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
        String value = p.substring(9).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  /**
   * Splits a body into the bodies of its parts (part headers, if any, are skipped).
   *
   * @throws IllegalArgumentException if the body is not multipart with that boundary
   */
  public static List<byte[]> parse(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    List<byte[]> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    if (at < 0) {
      throw new IllegalArgumentException("The body has no multipart boundary " + boundary + ".");
    }
    while (true) {
      int afterDelimiter = at + delimiter.length;
      if (afterDelimiter + 1 < body.length
          && body[afterDelimiter] == '-'
          && body[afterDelimiter + 1] == '-') {
        return parts; // closing delimiter
      }
      int headersEnd = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, afterDelimiter);
      if (headersEnd < 0) {
        throw new IllegalArgumentException("A multipart part has no end of headers.");
      }
      int contentStart = headersEnd + 4;
      int next = indexOf(body, concat(CRLF, delimiter), contentStart - 2);
      if (next < 0) {
        throw new IllegalArgumentException("The multipart body has no closing boundary.");
      }
      int contentEnd = Math.max(contentStart, next);
      byte[] part = new byte[contentEnd - contentStart];
      System.arraycopy(body, contentStart, part, 0, part.length);
      parts.add(part);
      at = next + 2;
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] result = new byte[a.length + b.length];
    System.arraycopy(a, 0, result, 0, a.length);
    System.arraycopy(b, 0, result, a.length, b.length);
    return result;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
