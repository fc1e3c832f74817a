package org.loggregator.doppler.drain;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import org.loggregator.doppler.drain.address.AddressGuard;

/**
 * Creates the writer of each new drain according to its URL scheme; thread-safe. Every writer
 * connects through the same {@link AddressGuard}, so every connection of every drain is resolved
 * and checked against the address policy. The TLS syslog and HTTPS writers share one timer thread
 * (from the given factory, started on first use) that ends handshakes, writes and requests running
 * past their timeout.
 */
public final class DrainWriters implements Function<DrainUrl, DrainWriter>, AutoCloseable {
  private final DrainTls tls;
  private final AddressGuard guard;
  private final ThreadFactory threads;
  private ScheduledThreadPoolExecutor timer;

  /**
   * @param guard resolves and checks each drain's host at each connection
   * @param threads gives the TLS writers' timer its thread
   */
  public DrainWriters(DrainTls tls, AddressGuard guard, ThreadFactory threads) {
    this.tls = tls;
    this.guard = guard;
    this.threads = threads;
  }

  @Override
  public DrainWriter apply(DrainUrl url) {
    return switch (url.scheme()) {
      case SYSLOG -> new TcpSyslogWriter(url.host(), url.port(), guard);
      case SYSLOG_TLS ->
          new TlsSyslogWriter(
              url.host(),
              url.port(),
              tls.context(url.skipCertVerify()),
              !url.skipCertVerify(),
              guard,
              timer(),
              DrainWriter.WRITE_TIMEOUT);
      case HTTPS ->
          new HttpsDrainWriter(
              url, tls.context(url.skipCertVerify()), guard, timer(), DrainWriter.WRITE_TIMEOUT);
    };
  }

  private synchronized ScheduledThreadPoolExecutor timer() {
    if (timer == null) {
      timer = new ScheduledThreadPoolExecutor(1, threads);
      timer.setRemoveOnCancelPolicy(true);
    }
    return timer;
  }

  /** Stops the TLS writers' timer; the writers themselves are closed by their drains. */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
