package org.loggregator.doppler.drain;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * POSTs batches of syslog frames to an HTTPS drain: one request per batch, {@code text/plain}, the
 * body the same octet-counted RFC 5424 frames a syslog drain gets (as Heroku's HTTPS drains send
 * them), and a header {@code Logplex-Msg-Count} with the number of frames. A 2xx answer is success;
 * any other is a failure, and a 4xx other than 408 and 429 refuses the batch for good. Used by one
 * drain's writer thread; {@link #close} from any thread.
 */
public final class HttpsDrainWriter implements DrainWriter {
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client;
  private final URI uri;
  private final String authorization;
  private volatile CompletableFuture<HttpResponse<Void>> inFlight;

  /**
   * @param client shared by the HTTPS drains with the same verification; it carries the TLS context
   */
  public HttpsDrainWriter(DrainUrl url, HttpClient client) {
    this.client = client;
    this.uri = url.requestUri();
    this.authorization = url.basicAuthorization();
  }

  /** Nothing to do: the client connects on the first request and keeps the connection alive. */
  @Override
  public void connect() {}

  @Override
  public void write(BatchBuffer batch) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "text/plain; charset=utf-8")
            .header("Logplex-Msg-Count", Integer.toString(batch.frames()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(batch.array(), 0, batch.length()));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    CompletableFuture<HttpResponse<Void>> response =
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
    inFlight = response;
    int status;
    try {
      status = response.get().statusCode();
    } catch (InterruptedException e) {
      response.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while posting to the drain.");
    } catch (CancellationException e) {
      throw new InterruptedIOException("The drain was closed while posting to it.");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause == null ? "The request failed." : cause.toString(), cause);
    } finally {
      inFlight = null;
    }
    if (status / 100 == 2) {
      return;
    }
    String answer = "The drain answered HTTP " + status + ".";
    if (status / 100 == 4 && status != 408 && status != 429) {
      throw new RejectedBatchException(answer);
    }
    throw new IOException(answer);
  }

  @Override
  public void close() {
    CompletableFuture<HttpResponse<Void>> request = inFlight;
    if (request != null) {
      request.cancel(true);
    }
  }

  @Override
  public int maxBatchFrames() {
    return 256;
  }
}
