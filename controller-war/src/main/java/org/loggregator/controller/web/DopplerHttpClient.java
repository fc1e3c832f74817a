package org.loggregator.controller.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import org.loggregator.config.DopplerAddress;
import org.loggregator.protocol.MultipartEnvelopes;
import org.loggregator.protocol.RequestSignature;

/**
 * Signed requests to a doppler: GETs of its multipart endpoints (recent logs, container metrics),
 * and the admin requests that bind drains.
 */
public final class DopplerHttpClient {
  /** The largest answer read from a doppler: far above one app's recent-log budget. */
  static final int MAX_BODY = 64 << 20;

  private final RequestSignature signature;
  private final int connectTimeoutMillis;

  /**
   * @param connectTimeout how long connecting to a doppler may take
   */
  public DopplerHttpClient(RequestSignature signature, java.time.Duration connectTimeout) {
    this.signature = signature;
    this.connectTimeoutMillis = (int) connectTimeout.toMillis();
  }

  /**
   * The envelopes a doppler answers for {@code path} (after the doppler's base URL, which the
   * signature leaves out); throws when it cannot be asked, or does not answer, by the deadline (a
   * {@link System#nanoTime} value; each read waits at most until then).
   */
  public List<byte[]> get(DopplerAddress doppler, String path, long deadlineNanos)
      throws IOException {
    URI uri = URI.create(doppler.baseUrl() + path);
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    try {
      long left = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
      connection.setConnectTimeout((int) Math.min(connectTimeoutMillis, left));
      connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, left));
      connection.setRequestProperty(
          RequestSignature.HEADER,
          signature.header(RequestSignature.Request.get(path), System.currentTimeMillis() / 1000));
      int status = connection.getResponseCode();
      if (status != 200) {
        throw new IOException("doppler answered HTTP " + status);
      }
      String boundary = MultipartEnvelopes.boundaryOf(connection.getContentType());
      try (InputStream in = connection.getInputStream()) {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
          throw new IOException("doppler answered more than " + MAX_BODY + " bytes");
        }
        return boundary == null ? List.of() : MultipartEnvelopes.parse(body, boundary);
      } catch (IllegalArgumentException e) {
        throw new IOException("doppler answered a malformed multipart body", e);
      }
    } finally {
      connection.disconnect();
    }
  }

  /** A doppler's answer to a request with a body: its status and its text. */
  public record Answer(int status, String text) {}

  /**
   * Sends {@code method} of {@code path} with {@code body} (none when null), signed with the body's
   * digest, and reads the answer by the deadline.
   */
  public Answer send(
      DopplerAddress doppler, String method, String path, byte[] body, long deadlineNanos)
      throws IOException {
    URI uri = URI.create(doppler.baseUrl() + path);
    RequestSignature.Request signed = new RequestSignature.Request(method, path, "", "");
    if (body != null) {
      signed = signed.withBody(body);
    }
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    try {
      long left = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
      connection.setConnectTimeout((int) Math.min(connectTimeoutMillis, left));
      connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, left));
      connection.setRequestMethod(method);
      connection.setRequestProperty(
          RequestSignature.HEADER, signature.header(signed, System.currentTimeMillis() / 1000));
      if (body != null) {
        connection.setRequestProperty(RequestSignature.CONTENT_HEADER, signed.content());
        connection.setRequestProperty("Content-Type", "text/plain;charset=UTF-8");
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        try (java.io.OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int status = connection.getResponseCode();
      InputStream stream = status < 400 ? connection.getInputStream() : connection.getErrorStream();
      byte[] text = stream == null ? new byte[0] : stream.readNBytes(64 * 1024);
      if (stream != null) {
        stream.close();
      }
      return new Answer(status, new String(text, java.nio.charset.StandardCharsets.UTF_8).strip());
    } finally {
      connection.disconnect();
    }
  }
}
