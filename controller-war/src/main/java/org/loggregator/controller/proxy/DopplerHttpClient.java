package org.loggregator.controller.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.loggregator.config.DopplerAddress;
import org.loggregator.protocol.MultipartEnvelopes;
import org.loggregator.protocol.RequestSignature;

/**
 * Signed requests to a doppler: GETs of its multipart endpoints (recent logs, container metrics),
 * and the admin requests that bind drains. Each has a deadline that covers connecting, waiting and
 * reading the whole answer, however slowly it comes.
 */
public final class DopplerHttpClient {
  /** The largest answer read from a doppler: far above one app's recent-log budget. */
  static final int MAX_BODY = 64 << 20;

  /** The longest text answer to an admin request that is read. */
  static final int MAX_TEXT = 64 << 10;

  private static final int CHUNK = 64 << 10;

  private final RequestSignature signature;
  private final int connectTimeoutMillis;

  /**
   * @param connectTimeout how long connecting to a doppler may take
   */
  public DopplerHttpClient(RequestSignature signature, Duration connectTimeout) {
    this.signature = signature;
    this.connectTimeoutMillis = (int) connectTimeout.toMillis();
  }

  /**
   * The envelopes a doppler answers for {@code path} (after the doppler's base URL, which the
   * signature leaves out); throws when it cannot be asked, or has not answered in full, by the
   * deadline (a {@link System#nanoTime} value).
   */
  public List<byte[]> get(DopplerAddress doppler, String path, long deadlineNanos)
      throws IOException {
    HttpURLConnection connection =
        open(doppler, path, RequestSignature.Request.get(path), deadlineNanos);
    try {
      int status = connection.getResponseCode();
      if (status != 200) {
        throw new IOException("doppler answered HTTP " + status);
      }
      String boundary = MultipartEnvelopes.boundaryOf(connection.getContentType());
      byte[] body = read(connection.getInputStream(), MAX_BODY, deadlineNanos);
      return boundary == null ? List.of() : MultipartEnvelopes.parse(body, boundary);
    } catch (IllegalArgumentException e) {
      throw new IOException("doppler answered a malformed multipart body", e);
    } finally {
      connection.disconnect();
    }
  }

  /** A doppler's answer to a request with a body: its status and its text. */
  public record Answer(int status, String text) {}

  /**
   * Sends {@code method} of {@code path} with {@code body} (none when null), signed with the body's
   * digest, and reads the answer (its first {@value #MAX_TEXT} bytes) by the deadline.
   */
  public Answer send(
      DopplerAddress doppler, String method, String path, byte[] body, long deadlineNanos)
      throws IOException {
    RequestSignature.Request signed = new RequestSignature.Request(method, path, "", "");
    if (body != null) {
      signed = signed.withBody(body);
    }
    HttpURLConnection connection = open(doppler, path, signed, deadlineNanos);
    try {
      if (body != null) {
        connection.setRequestProperty(RequestSignature.CONTENT_HEADER, signed.content());
        connection.setRequestProperty("Content-Type", "text/plain;charset=UTF-8");
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int status = connection.getResponseCode();
      InputStream stream = status < 400 ? connection.getInputStream() : connection.getErrorStream();
      byte[] text = stream == null ? new byte[0] : read(stream, MAX_TEXT, deadlineNanos);
      return new Answer(status, new String(text, StandardCharsets.UTF_8).strip());
    } finally {
      connection.disconnect();
    }
  }

  /**
   * A connection to {@code path} (with its query) for {@code request}, signed, whose connect and
   * each read end by the deadline.
   */
  private HttpURLConnection open(
      DopplerAddress doppler, String path, RequestSignature.Request request, long deadlineNanos)
      throws IOException {
    URI uri = URI.create(doppler.baseUrl() + path);
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    int left = millisLeft(deadlineNanos);
    connection.setConnectTimeout(Math.min(connectTimeoutMillis, left));
    connection.setReadTimeout(left);
    connection.setRequestMethod(request.method());
    connection.setRequestProperty(
        RequestSignature.HEADER, signature.header(request, System.currentTimeMillis() / 1000));
    return connection;
  }

  /**
   * Reads {@code in} to its end, closing it: at most {@code max} bytes, and (since each read waits
   * at most until the deadline, but a peer may send a byte now and then) no longer than until the
   * deadline between reads.
   */
  static byte[] read(InputStream in, int max, long deadlineNanos) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] chunk = new byte[CHUNK];
      for (int n; (n = in.read(chunk)) >= 0; ) {
        if (out.size() + n > max) {
          throw new IOException("doppler answered more than " + max + " bytes");
        }
        out.write(chunk, 0, n);
        if (System.nanoTime() - deadlineNanos > 0) {
          throw new IOException("doppler did not finish its answer by the deadline");
        }
      }
      return out.toByteArray();
    }
  }

  private static int millisLeft(long deadlineNanos) {
    long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left));
  }
}
