package org.loggregator.doppler.drain;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import org.loggregator.doppler.drain.address.AddressGuard;

/**
 * POSTs batches of syslog frames to an HTTPS drain: one request per batch, {@code text/plain}, the
 * body the same octet-counted RFC 5424 frames a syslog drain gets (as Heroku's HTTPS drains send
 * them), and a header {@code Logplex-Msg-Count} with the number of frames. A 2xx answer is success;
 * any other is a failure, and a 4xx other than 408 and 429 refuses the batch for good. Used by one
 * drain's writer thread; {@link #close} from any thread.
 *
 * <p>It speaks HTTP/1.1 itself over one kept-alive {@link TlsConnection}, opened through the {@link
 * AddressGuard}, so no other resolver ever sees the host. A request that is not answered within its
 * timeout fails and its connection is closed; an answer is read within the bounds of {@link
 * HttpAnswer}.
 */
public final class HttpsDrainWriter implements DrainWriter {
  private final TlsConnection connection;
  private final Duration requestTimeout;
  private final String timedOut;
  private final byte[] head;

  /**
   * @param context the TLS context: verifying, unless the URL opted out
   * @param guard resolves and checks the host at each connection
   * @param timer ends a handshake or a request that runs past its timeout
   * @param requestTimeout how long a request may take to be sent and answered, such as {@link
   *     #WRITE_TIMEOUT}
   */
  public HttpsDrainWriter(
      DrainUrl url,
      SSLContext context,
      AddressGuard guard,
      ScheduledExecutorService timer,
      Duration requestTimeout) {
    this.connection =
        new TlsConnection(
            new TlsConnection.Peer(url.host(), url.port(), context, !url.skipCertVerify()),
            guard,
            timer);
    this.requestTimeout = requestTimeout;
    this.timedOut = "The drain did not answer within " + DrainText.format(requestTimeout) + ".";
    this.head = head(url);
  }

  /** The request line and the headers every request has, up to the per-batch ones. */
  private static byte[] head(DrainUrl url) {
    URI uri = url.requestUri();
    String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      target += "?" + uri.getRawQuery();
    }
    StringBuilder h = new StringBuilder(256);
    h.append("POST ").append(target).append(" HTTP/1.1\r\n");
    // The host as the URL has it: an IPv6 literal keeps its brackets.
    h.append("Host: ")
        .append(url.host())
        .append(url.port() == DrainUrl.Scheme.HTTPS.defaultPort() ? "" : ":" + url.port())
        .append("\r\n");
    h.append("User-Agent: loggregator-doppler\r\n");
    h.append("Content-Type: text/plain; charset=utf-8\r\n");
    String authorization = url.basicAuthorization();
    if (authorization != null) {
      h.append("Authorization: ").append(authorization).append("\r\n");
    }
    return h.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Opens the connection: resolves, checks, connects and shakes hands. */
  @Override
  public void connect() throws IOException {
    connection.open();
  }

  /**
   * Posts the batch and reads the answer. Connects first when there is no connection, or when the
   * drain closed the idle one (or sent on it what it had no reason to); a kept-alive connection the
   * drain closed without answering is replaced once, as HTTP clients do.
   */
  @Override
  public void write(BatchBuffer batch) throws IOException {
    boolean reused = reusable();
    if (!reused) {
      connect();
    }
    HttpAnswer answer;
    try {
      answer = exchange(batch);
    } catch (HttpAnswer.NoAnswerException | SocketException stale) {
      if (!reused || Thread.currentThread().isInterrupted()) {
        throw stale;
      }
      connect();
      answer = exchange(batch);
    }
    if (!answer.reusable()) {
      close();
    }
    int status = answer.status();
    if (status / 100 == 2) {
      return;
    }
    String text = "The drain answered HTTP " + status + ".";
    if (status / 100 == 4 && status != 408 && status != 429) {
      throw new RejectedBatchException(text);
    }
    throw new IOException(text);
  }

  /** Whether the connection is open and idle: the drain has neither closed it nor sent on it. */
  private boolean reusable() {
    try {
      return connection.isOpen() && connection.discardPending() == 0;
    } catch (IOException unusable) {
      return false;
    }
  }

  private HttpAnswer exchange(BatchBuffer batch) throws IOException {
    return connection.within(
        requestTimeout,
        timedOut,
        () -> {
          OutputStream out = connection.out();
          out.write(head);
          out.write(
              ("Logplex-Msg-Count: "
                      + batch.frames()
                      + "\r\nContent-Length: "
                      + batch.length()
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
          out.write(batch.array(), 0, batch.length());
          out.flush();
          return HttpAnswer.read(connection.in());
        });
  }

  @Override
  public void close() {
    connection.close();
  }

  @Override
  public int maxBatchFrames() {
    return 256;
  }
}
