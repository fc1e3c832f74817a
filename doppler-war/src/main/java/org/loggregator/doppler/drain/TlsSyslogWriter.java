package org.loggregator.doppler.drain;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.loggregator.doppler.drain.address.AddressGuard;

/**
 * Writes syslog frames over TLS ({@code syslog-tls://}, RFC 5425). Used by one drain's writer
 * thread; {@link #close} from any thread.
 *
 * <p>The drain's certificate chain and host name are verified (the host name against the
 * certificate's subject alternative names) unless the context given trusts everything, which {@link
 * DrainTls} hands out only to URLs that opted out.
 *
 * <p>Each connection goes through the {@link AddressGuard}: the plain socket connects to the
 * address that was checked, then TLS is layered on it with the URL's host name, for SNI and for the
 * verification of the certificate and host name.
 */
public final class TlsSyslogWriter implements DrainWriter {
  static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  private final String host;
  private final int port;
  private final SSLContext context;
  private final boolean verifyHostname;
  private final AddressGuard guard;
  private final byte[] probe = new byte[256];
  private volatile Socket plain;
  private volatile SSLSocket socket;
  private OutputStream out;
  private InputStream in;

  /**
   * @param host the drain URL's host: resolved and checked by the guard, named to the TLS peer
   * @param verifyHostname whether the host name must match the certificate
   * @param guard resolves and checks the host at each connection
   */
  public TlsSyslogWriter(
      String host, int port, SSLContext context, boolean verifyHostname, AddressGuard guard) {
    this.host = host;
    this.port = port;
    this.context = context;
    this.verifyHostname = verifyHostname;
    this.guard = guard;
  }

  @Override
  public void connect() throws IOException {
    close();
    Socket opened = guard.connect(host, port, this::dial);
    try {
      SSLSocket tls = TlsLayer.over(opened, host, port, context, verifyHostname);
      socket = tls;
      TlsLayer.handshake(tls, HANDSHAKE_TIMEOUT_MILLIS);
      out = tls.getOutputStream();
      in = tls.getInputStream();
    } catch (IOException | RuntimeException e) {
      close();
      opened.close();
      throw e;
    }
  }

  private Socket dial(InetSocketAddress address) throws IOException {
    return TlsLayer.dial(address, opening -> plain = opening);
  }

  @Override
  public void write(BatchBuffer batch) throws IOException {
    SSLSocket tls = socket;
    if (tls == null || out == null) {
      throw new ClosedChannelException();
    }
    checkOpenByPeer(tls);
    out.write(batch.array(), 0, batch.length());
    out.flush();
  }

  /**
   * When the drain has sent something (a TLS close_notify, a session ticket), reads it without
   * waiting, so that a connection the drain has closed is seen before a batch is lost in it.
   */
  private void checkOpenByPeer(SSLSocket tls) throws IOException {
    Socket raw = plain;
    if (raw == null || raw.getInputStream().available() == 0) {
      return;
    }
    tls.setSoTimeout(1);
    try {
      while (true) {
        if (in.read(probe) < 0) {
          throw new EOFException("The drain closed the connection.");
        }
      }
    } catch (SocketTimeoutException nothingMore) {
      // still open
    } finally {
      tls.setSoTimeout(0);
    }
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
    return 512;
  }
}
