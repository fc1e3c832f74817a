package org.loggregator.doppler.drain;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.loggregator.doppler.drain.address.AddressGuard;

/**
 * POSTs batches of syslog frames to an HTTPS drain: one request per batch, {@code text/plain}, the
 * body the same octet-counted RFC 5424 frames a syslog drain gets (as Heroku's HTTPS drains send
 * them), and a header {@code Logplex-Msg-Count} with the number of frames. A 2xx answer is success;
 * any other is a failure, and a 4xx other than 408 and 429 refuses the batch for good. Used by one
 * drain's writer thread; {@link #close} from any thread.
 *
 * <p>It speaks HTTP/1.1 itself over one kept-alive connection, opened through the {@link
 * AddressGuard}: the plain socket connects to the address that was checked, and TLS is layered on
 * it with the URL's host name (SNI, certificate and host-name verification), so no other resolver
 * ever sees the host. A request that has no answer within {@link #REQUEST_TIMEOUT} fails and its
 * connection is closed.
 */
public final class HttpsDrainWriter implements DrainWriter {
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  private final DrainUrl url;
  private final SSLContext context;
  private final AddressGuard guard;
  private final ScheduledExecutorService timer;
  private final byte[] head;
  private volatile Socket plain;
  private volatile SSLSocket socket;
  private volatile boolean timedOut;
  private OutputStream out;
  private InputStream in;

  /**
   * @param context the TLS context: verifying, unless the URL opted out
   * @param guard resolves and checks the host at each connection
   * @param timer ends a request that runs past {@link #REQUEST_TIMEOUT}
   */
  public HttpsDrainWriter(
      DrainUrl url, SSLContext context, AddressGuard guard, ScheduledExecutorService timer) {
    this.url = url;
    this.context = context;
    this.guard = guard;
    this.timer = timer;
    this.head = head(url);
  }

  /** The request line and the headers every request has, up to the per-batch ones. */
  private static byte[] head(DrainUrl url) {
    URI uri = url.requestUri();
    String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      target += "?" + uri.getRawQuery();
    }
    String host =
        url.host().indexOf(':') >= 0 && !url.host().startsWith("[")
            ? "[" + url.host() + "]"
            : url.host();
    StringBuilder h = new StringBuilder(256);
    h.append("POST ").append(target).append(" HTTP/1.1\r\n");
    h.append("Host: ")
        .append(host)
        .append(url.port() == 443 ? "" : ":" + url.port())
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
    close();
    Socket opened = guard.connect(url.host(), url.port(), this::dial);
    try {
      SSLSocket tls = TlsLayer.over(opened, url.host(), url.port(), context, !url.skipCertVerify());
      socket = tls;
      TlsLayer.handshake(tls, HANDSHAKE_TIMEOUT_MILLIS);
      tls.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
      out = tls.getOutputStream();
      in = new BufferedInputStream(tls.getInputStream(), 4096);
    } catch (IOException | RuntimeException e) {
      close();
      opened.close();
      throw e;
    }
  }

  private Socket dial(InetSocketAddress address) throws IOException {
    return TlsLayer.dial(address, opening -> plain = opening);
  }

  /**
   * Posts the batch and reads the answer. Connects first when there is no connection (or the drain
   * closed the idle one); a kept-alive connection the drain closed without answering is replaced
   * once, as HTTP clients do.
   */
  @Override
  public void write(BatchBuffer batch) throws IOException {
    boolean reused = socket != null && !closedByPeer();
    if (!reused) {
      connect();
    }
    HttpAnswer answer;
    try {
      answer = exchange(batch);
    } catch (HttpAnswer.NoAnswerException | SocketException stale) {
      if (!reused || timedOut || Thread.currentThread().isInterrupted()) {
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

  private HttpAnswer exchange(BatchBuffer batch) throws IOException {
    OutputStream o = out;
    InputStream i = in;
    if (socket == null || o == null || i == null) {
      throw new ClosedChannelException();
    }
    timedOut = false;
    ScheduledFuture<?> deadline =
        timer.schedule(this::timeOut, REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    try {
      String perBatch =
          "Logplex-Msg-Count: "
              + batch.frames()
              + "\r\nContent-Length: "
              + batch.length()
              + "\r\n\r\n";
      o.write(head);
      o.write(perBatch.getBytes(StandardCharsets.ISO_8859_1));
      o.write(batch.array(), 0, batch.length());
      o.flush();
      return HttpAnswer.read(i);
    } catch (IOException e) {
      close();
      if (timedOut || e instanceof SocketTimeoutException) {
        throw new SocketTimeoutException(
            "The drain did not answer within " + REQUEST_TIMEOUT.toSeconds() + "s.");
      }
      throw e;
    } finally {
      deadline.cancel(false);
    }
  }

  private void timeOut() {
    timedOut = true;
    close();
  }

  /** Whether the drain closed the idle connection (it sent a close_notify, or anything else). */
  private boolean closedByPeer() {
    Socket raw = plain;
    SSLSocket tls = socket;
    try {
      if (raw == null || tls == null || raw.getInputStream().available() == 0) {
        return false;
      }
      tls.setSoTimeout(1);
      try {
        in.read(); // an idle connection has nothing to read but its end
      } catch (SocketTimeoutException stillOpen) {
        tls.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
        return false;
      }
    } catch (IOException e) {
      // unusable either way
    }
    close();
    return true;
  }

  @Override
  public void close() {
    SSLSocket tls = socket;
    Socket raw = plain;
    socket = null;
    plain = null;
    for (Socket s : new Socket[] {raw, tls}) {
      if (s != null) {
        try {
          s.close();
        } catch (IOException | RuntimeException ignored) {
          // closing anyway
        }
      }
    }
  }

  @Override
  public int maxBatchFrames() {
    return 256;
  }
}
