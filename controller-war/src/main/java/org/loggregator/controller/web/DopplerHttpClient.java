package org.loggregator.controller.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import org.loggregator.config.DopplerAddress;
import org.loggregator.protocol.MultipartEnvelopes;
import org.loggregator.protocol.RequestSignature;

/** Signed GETs of a doppler's multipart endpoints (recent logs, container metrics). */
public final class DopplerHttpClient {
  private static final int TIMEOUT_MILLIS = 5_000;
  private final RequestSignature signature;

  public DopplerHttpClient(RequestSignature signature) {
    this.signature = signature;
  }

  /**
   * The envelopes a doppler answers for {@code path} (after the doppler's base URL, which the
   * signature leaves out); throws when it cannot be asked.
   */
  public List<byte[]> get(DopplerAddress doppler, String path) throws IOException {
    URI uri = URI.create(doppler.baseUrl() + path);
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    try {
      connection.setConnectTimeout(TIMEOUT_MILLIS);
      connection.setReadTimeout(TIMEOUT_MILLIS);
      connection.setRequestProperty(
          RequestSignature.HEADER,
          signature.header(RequestSignature.Request.get(path), System.currentTimeMillis() / 1000));
      int status = connection.getResponseCode();
      if (status != 200) {
        throw new IOException("doppler answered HTTP " + status);
      }
      String boundary = MultipartEnvelopes.boundaryOf(connection.getContentType());
      try (InputStream in = connection.getInputStream()) {
        byte[] body = in.readAllBytes();
        return boundary == null ? List.of() : MultipartEnvelopes.parse(body, boundary);
      } catch (IllegalArgumentException e) {
        throw new IOException("doppler answered a malformed multipart body", e);
      }
    } finally {
      connection.disconnect();
    }
  }
}
