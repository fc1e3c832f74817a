package org.loggregator.doppler.drain;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import org.loggregator.doppler.drain.address.AddressGuard;

/**
 * Writes syslog frames over TLS ({@code syslog-tls://}, RFC 5425). Used by one drain's writer
 * thread; {@link #close} from any thread.
 *
 * <p>The drain's certificate chain and host name are verified (the host name against the
 * certificate's subject alternative names) unless the context given trusts everything, which {@link
 * DrainTls} hands out only to URLs that opted out. Each connection goes through the {@link
 * AddressGuard} (see {@link TlsConnection}). A batch not written within its timeout, because the
 * drain stopped reading, fails and its connection is closed, as a plain syslog writer's does.
 */
public final class TlsSyslogWriter implements DrainWriter {
  private final TlsConnection connection;
  private final Duration writeTimeout;
  private final String timedOut;

  /**
   * @param host the drain URL's host: resolved and checked by the guard, named to the TLS peer
   * @param verifyHostname whether the host name must match the certificate
   * @param guard resolves and checks the host at each connection
   * @param timer ends a handshake or a write that runs past its timeout
   * @param writeTimeout how long one batch may take to write, such as {@link #WRITE_TIMEOUT}
   */
  public TlsSyslogWriter(
      String host,
      int port,
      SSLContext context,
      boolean verifyHostname,
      AddressGuard guard,
      ScheduledExecutorService timer,
      Duration writeTimeout) {
    this.connection =
        new TlsConnection(
            new TlsConnection.Peer(host, port, context, verifyHostname), guard, timer);
    this.writeTimeout = writeTimeout;
    this.timedOut = "Writing timed out after " + DrainText.format(writeTimeout) + ".";
  }

  @Override
  public void connect() throws IOException {
    connection.open();
  }

  /**
   * Writes the batch, first reading what the drain sent (a TLS close_notify, a session ticket), so
   * that a connection the drain has closed is seen before a batch is lost in it.
   */
  @Override
  public void write(BatchBuffer batch) throws IOException {
    if (!connection.isOpen()) {
      throw new ClosedChannelException();
    }
    if (connection.discardPending() < 0) {
      throw new EOFException("The drain closed the connection.");
    }
    connection.within(
        writeTimeout,
        timedOut,
        () -> {
          connection.out().write(batch.array(), 0, batch.length());
          connection.out().flush();
          return null;
        });
  }

  @Override
  public void close() {
    connection.close();
  }

  @Override
  public int maxBatchFrames() {
    return 512;
  }
}
