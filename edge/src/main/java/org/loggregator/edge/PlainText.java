package org.loggregator.edge;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** The answer every JAX-RS resource gives in words: a status and one line of UTF-8 text. */
public final class PlainText {
  private static final MediaType TYPE = MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8");

  private PlainText() {}

  /** {@code status} with {@code line} and a line end as its body. */
  public static Response of(int status, String line) {
    return of(status, line, Map.of());
  }

  /** {@code status} with {@code line} and a line end as its body, and {@code headers}. */
  public static Response of(int status, String line, Map<String, String> headers) {
    Response.ResponseBuilder response = Response.status(status).type(TYPE).entity(line + "\n");
    headers.forEach(response::header);
    return response.build();
  }
}
