package it.org.loggregator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HTTP/1.1 over a plain socket, request line and headers exactly as given (no client library
 * normalises the path), for probing how a server treats unusual paths and headers. A WebSocket
 * upgrade that succeeds is read for a while, its frames kept as raw bytes.
 */
final class RawHttp {
  /** A response: its status, and everything the server sent, raw. */
  record Response(int status, byte[] raw) {
    String text() {
      return new String(raw, StandardCharsets.ISO_8859_1);
    }

    boolean contains(String s) {
      return text().contains(s);
    }

    /** The value of the first header of that name (any case), or null. */
    String header(String name) {
      for (String line : text().split("\r\n")) {
        if (line.isEmpty()) {
          break;
        }
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  private RawHttp() {}

  /** An HTTP request; the connection is closed after the response. */
  static Response request(int port, String method, String target, Map<String, String> headers) {
    return request(port, method, target, headers, null);
  }

  static Response request(
      int port, String method, String target, Map<String, String> headers, String body) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("Host", "127.0.0.1:" + port);
    all.putAll(headers);
    all.put("Connection", "close");
    if (body != null) {
      all.put("Content-Length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
    }
    return exchange(port, method + " " + target, all, body, 0, null);
  }

  /**
   * A WebSocket handshake; when the server switches protocols, what it sends in the next {@code
   * listenMillis} is kept too.
   */
  static Response webSocket(
      int port, String target, Map<String, String> headers, long listenMillis) {
    return webSocket(port, target, headers, listenMillis, null);
  }

  /** As above, but stops listening as soon as {@code until} has arrived. */
  static Response webSocket(
      int port, String target, Map<String, String> headers, long listenMillis, String until) {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    Map<String, String> all = new LinkedHashMap<>();
    all.put("Host", "127.0.0.1:" + port);
    all.put("Upgrade", "websocket");
    all.put("Connection", "Upgrade");
    all.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(key));
    all.put("Sec-WebSocket-Version", "13");
    all.putAll(headers);
    return exchange(port, "GET " + target, all, null, listenMillis, until);
  }

  private static Response exchange(
      int port,
      String requestLine,
      Map<String, String> headers,
      String body,
      long listenMillis,
      String until) {
    StringBuilder request = new StringBuilder(requestLine).append(" HTTP/1.1\r\n");
    headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
    request.append("\r\n");
    if (body != null) {
      request.append(body);
    }
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      long switchedAt = 0;
      while (true) {
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketTimeoutException | java.net.SocketException e) {
          break;
        }
        if (n < 0) {
          break;
        }
        raw.write(buffer, 0, n);
        byte[] sofar = raw.toByteArray();
        if (switchedAt == 0 && status(sofar) == 101) {
          switchedAt = System.nanoTime();
          socket.setSoTimeout((int) Math.max(1, listenMillis));
        }
        if (switchedAt != 0
            && (System.nanoTime() - switchedAt > listenMillis * 1_000_000
                || (until != null
                    && new String(sofar, StandardCharsets.ISO_8859_1).contains(until)))) {
          break;
        }
        if (switchedAt == 0 && complete(sofar)) {
          break; // a whole response that is not an upgrade: the server may keep the connection
        }
      }
      byte[] bytes = raw.toByteArray();
      return new Response(status(bytes), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code raw} holds a whole response: headers, then its Content-Length or chunks. */
  private static boolean complete(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
    int bodyLength = raw.length - end - 4;
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("\r\ncontent-length:\\s*(\\d+)").matcher(head);
    if (length.find()) {
      return bodyLength >= Integer.parseInt(length.group(1));
    }
    if (head.contains("\r\ntransfer-encoding: chunked")) {
      return text.endsWith("\r\n0\r\n\r\n");
    }
    return false;
  }

  private static int status(byte[] raw) {
    String text = new String(raw, 0, Math.min(raw.length, 64), StandardCharsets.ISO_8859_1);
    if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
      return -1;
    }
    try {
      return Integer.parseInt(text.substring(9, 12));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
