package org.loggregator.doppler.drain;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.loggregator.doppler.drain.address.AddressGuard;

/**
 * One TLS connection to a drain, the same for the TLS syslog and the HTTPS writers; used by one
 * writer's thread, {@link #close} from any thread. It opens through the {@link AddressGuard}: a
 * plain socket connects to the address that was checked, and TLS is layered on it with the URL's
 * host name (SNI, certificate and host-name verification), so no other resolver ever sees the host.
 *
 * <p>Every step that waits on the drain runs against a deadline on the shared timer, which closes
 * the connection when it passes: the handshake ({@link #HANDSHAKE_TIMEOUT}) and each write or
 * exchange ({@link #within}). A drain that stops reading, never answers, or trickles one byte at a
 * time therefore holds a writer for that long at most, whatever a socket timeout would allow.
 */
final class TlsConnection {
  /** The longest a TLS handshake may take, from the first byte to the last. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Whom a connection reaches and how it trusts it.
   *
   * @param host the drain URL's host: resolved and checked by the guard, named to the TLS peer
   * @param verifyHostname whether the certificate must name the host (off only for drains that
   *     opted out of verification)
   */
  record Peer(String host, int port, SSLContext context, boolean verifyHostname) {}

  private final Peer peer;
  private final AddressGuard guard;
  private final ScheduledExecutorService timer;
  private final byte[] probe = new byte[512];
  private volatile Socket plain;
  private volatile SSLSocket tls;
  private volatile boolean timedOut;
  private OutputStream out;
  private InputStream in;

  /**
   * @param timer ends a handshake, write or exchange that runs past its deadline
   */
  TlsConnection(Peer peer, AddressGuard guard, ScheduledExecutorService timer) {
    this.peer = peer;
    this.guard = guard;
    this.timer = timer;
  }

  /** Closes any connection, then resolves, checks, connects and shakes hands. */
  void open() throws IOException {
    close();
    out = null;
    in = null;
    Socket opened = guard.connect(peer.host(), peer.port(), this::dial);
    try {
      SSLSocket layered =
          (SSLSocket)
              peer.context().getSocketFactory().createSocket(opened, peerName(), peer.port(), true);
      if (peer.verifyHostname()) {
        SSLParameters parameters = layered.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        layered.setSSLParameters(parameters);
      }
      tls = layered;
      within(
          HANDSHAKE_TIMEOUT,
          "The TLS handshake did not finish within " + DrainText.format(HANDSHAKE_TIMEOUT) + ".",
          () -> {
            layered.startHandshake();
            return null;
          });
      out = layered.getOutputStream();
      in = new BufferedInputStream(layered.getInputStream(), 4096);
    } catch (IOException | RuntimeException e) {
      close();
      opened.close();
      throw e;
    }
  }

  /** The host as TLS names it: an IPv6 literal without its brackets. */
  private String peerName() {
    String host = peer.host();
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /**
   * Connects a plain socket to a checked address within {@link DrainWriter#CONNECT_TIMEOUT_MILLIS},
   * keep-alive on, published first so that {@link #close} from another thread ends a connect in
   * progress.
   */
  private Socket dial(InetSocketAddress address) throws IOException {
    Socket opened = new Socket();
    plain = opened;
    try {
      opened.connect(address, DrainWriter.CONNECT_TIMEOUT_MILLIS);
      opened.setKeepAlive(true);
      return opened;
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  /** Whether it is open, as far as this side knows. */
  boolean isOpen() {
    return tls != null && out != null;
  }

  OutputStream out() {
    return out;
  }

  /** Buffered. */
  InputStream in() {
    return in;
  }

  /**
   * Reads, without waiting, what the drain sent since the last call (a TLS close_notify, a session
   * ticket, or data it had no reason to send) and drops it, {@link DrainWriter#MAX_PENDING_BYTES}
   * at most, so that a drain sending without end cannot keep the writer here.
   *
   * @return -1 when the drain has closed the connection, else how many bytes of data it dropped
   */
  int discardPending() throws IOException {
    SSLSocket t = tls;
    Socket raw = plain;
    if (t == null || raw == null) {
      throw new ClosedChannelException();
    }
    if (in.available() == 0 && raw.getInputStream().available() == 0) {
      return 0;
    }
    int dropped = 0;
    t.setSoTimeout(1);
    try {
      while (dropped < DrainWriter.MAX_PENDING_BYTES) {
        int n = in.read(probe);
        if (n < 0) {
          return -1;
        }
        dropped += n;
      }
    } catch (SocketTimeoutException nothingMore) {
      // still open
    } finally {
      t.setSoTimeout(0);
    }
    return dropped;
  }

  /** One step of I/O on this connection. */
  @FunctionalInterface
  interface Step<T> {
    T run() throws IOException;
  }

  /**
   * Runs the step; if it is not done within {@code limit}, the connection is closed under it.
   * Whatever it throws, the connection is closed.
   *
   * @param timedOutSentence the message of the {@link SocketTimeoutException} thrown when it ran
   *     out of time
   * @throws ClosedChannelException when the connection is not open
   */
  <T> T within(Duration limit, String timedOutSentence, Step<T> step) throws IOException {
    if (tls == null) {
      throw new ClosedChannelException();
    }
    timedOut = false;
    ScheduledFuture<?> deadline =
        timer.schedule(this::timeOut, limit.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return step.run();
    } catch (IOException e) {
      close();
      if (timedOut || e instanceof SocketTimeoutException) {
        throw new SocketTimeoutException(timedOutSentence);
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

  /** Closes the connection; never throws, any thread, any number of times. */
  void close() {
    SSLSocket t = tls;
    Socket raw = plain;
    tls = null;
    plain = null;
    for (Socket s : new Socket[] {raw, t}) {
      if (s != null) {
        try {
          s.close();
        } catch (IOException | RuntimeException ignored) {
          // closing anyway
        }
      }
    }
  }
}
