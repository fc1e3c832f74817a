package org.loggregator.doppler.drain;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 answer from a connection: the status, the headers that say how the body ends,
 * and the body, which is read and thrown away so that the connection can carry the next request.
 * Bounded, whatever the drain sends: a line longer than 8 KiB, more than 100 header and trailer
 * lines in all, or more than 8 interim (1xx) answers fails the answer; a body over 1 MiB (counting
 * a chunked body's framing) is not read, and the connection is not reused. The time it may take is
 * the caller's deadline. Not thread-safe.
 *
 * @param status the final status code (1xx answers are skipped)
 * @param reusable whether the connection may carry another request
 */
record HttpAnswer(int status, boolean reusable) {
  static final int MAX_LINE = 8192;
  static final int MAX_HEADERS = 100;
  static final long MAX_BODY = 1 << 20;
  static final int MAX_INTERIM = 8;

  /** Thrown when the connection ended before the first byte of an answer. */
  static final class NoAnswerException extends EOFException {
    private static final long serialVersionUID = 1L;

    NoAnswerException() {
      super("The drain closed the connection without answering.");
    }
  }

  /** Reads the next final answer; the stream should be buffered. */
  static HttpAnswer read(InputStream in) throws IOException {
    int headers = 0;
    for (int interim = 0; ; interim++) {
      if (interim > MAX_INTERIM) {
        throw new IOException("The drain answered more than " + MAX_INTERIM + " interim answers.");
      }
      String statusLine = line(in, true);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
        throw new IOException("The drain did not answer HTTP/1.1.");
      }
      int status = Integer.parseInt(parts[1]);
      boolean reusable = parts[0].equals("HTTP/1.1");
      long length = -1;
      boolean chunked = false;
      while (true) {
        String header = line(in, false);
        if (header.isEmpty()) {
          break;
        }
        if (++headers > MAX_HEADERS) {
          throw new IOException("The drain answered with too many headers.");
        }
        int colon = header.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        switch (name) {
          case "content-length" -> length = contentLength(value);
          case "transfer-encoding" -> chunked = value.endsWith("chunked");
          case "connection" -> reusable = connection(value, reusable);
          default -> {
            // not needed
          }
        }
      }
      if (status / 100 == 1) {
        continue; // 100 Continue and the like: the real answer follows
      }
      if (status == 204 || status == 304) {
        return new HttpAnswer(status, reusable);
      }
      if (chunked) {
        return new HttpAnswer(status, reusable && skipChunks(in, headers));
      }
      if (length >= 0) {
        return new HttpAnswer(status, reusable && skip(in, length));
      }
      return new HttpAnswer(status, false); // the body ends with the connection
    }
  }

  private static long contentLength(String value) throws IOException {
    if (!value.matches("[0-9]{1,18}")) {
      throw new IOException("The drain answered an invalid Content-Length.");
    }
    return Long.parseLong(value);
  }

  private static boolean connection(String value, boolean reusable) {
    if (value.contains("close")) {
      return false;
    }
    return reusable || value.contains("keep-alive");
  }

  /** Skips a body of known length; false when it is too long to skip (the connection ends). */
  private static boolean skip(InputStream in, long length) throws IOException {
    if (length > MAX_BODY) {
      return false;
    }
    long left = length;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("The drain closed the connection in the middle of its answer.");
        }
        skipped = 1;
      }
      left -= skipped;
    }
    return true;
  }

  /**
   * Skips a chunked body and its trailers; false when it is too long to skip (the connection ends).
   * Its size counts the chunk-size lines and line ends too, so that a drain cannot make it read
   * without end through empty chunks or long chunk extensions.
   *
   * @param headers header lines read so far: trailers count towards {@link #MAX_HEADERS}
   */
  private static boolean skipChunks(InputStream in, int headers) throws IOException {
    long total = 0;
    while (true) {
      String sizeLine = line(in, false);
      int semicolon = sizeLine.indexOf(';');
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
      if (!hex.matches("[0-9a-fA-F]{1,15}")) {
        throw new IOException("The drain answered an invalid chunk.");
      }
      long size = Long.parseLong(hex, 16);
      total += sizeLine.length() + 2 + size + 2;
      if (total > MAX_BODY) {
        return false;
      }
      if (size == 0) {
        while (!line(in, false).isEmpty()) { // trailers
          if (++headers > MAX_HEADERS) {
            throw new IOException("The drain answered with too many trailers.");
          }
        }
        return true;
      }
      skip(in, size);
      if (!line(in, false).isEmpty()) {
        throw new IOException("The drain answered an invalid chunk.");
      }
    }
  }

  /** One line without its CR LF (a bare LF ends one too). */
  private static String line(InputStream in, boolean first) throws IOException {
    byte[] bytes = new byte[128];
    int n = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (first && n == 0) {
          throw new NoAnswerException();
        }
        throw new EOFException("The drain closed the connection in the middle of its answer.");
      }
      if (b == '\n') {
        if (n > 0 && bytes[n - 1] == '\r') {
          n--;
        }
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      if (n == MAX_LINE) {
        throw new IOException("The drain answered a line longer than " + MAX_LINE + " bytes.");
      }
      if (n == bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.min(MAX_LINE, n * 2));
      }
      bytes[n++] = (byte) b;
    }
  }
}
