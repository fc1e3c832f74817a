package org.loggregator.doppler.drain;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * Creates the writer of each new drain according to its URL scheme; thread-safe. HTTPS drains share
 * one HTTP client per kind of verification (a client is heavy: it owns a selector thread and a
 * connection pool), created on first use, with its work done on threads of the given factory.
 */
public final class DrainWriters implements Function<DrainUrl, DrainWriter>, AutoCloseable {
  private final DrainTls tls;
  private final ExecutorService httpExecutor;
  private HttpClient verifyingClient;
  private HttpClient trustingClient;

  public DrainWriters(DrainTls tls, ThreadFactory threads) {
    this.tls = tls;
    this.httpExecutor = Executors.newCachedThreadPool(threads);
  }

  @Override
  public DrainWriter apply(DrainUrl url) {
    return switch (url.scheme()) {
      case SYSLOG -> new TcpSyslogWriter(url.host(), url.port());
      case SYSLOG_TLS ->
          new TlsSyslogWriter(
              url.host(), url.port(), tls.context(url.skipCertVerify()), !url.skipCertVerify());
      case HTTPS -> new HttpsDrainWriter(url, client(url.skipCertVerify()));
    };
  }

  private synchronized HttpClient client(boolean skipCertVerify) {
    if (skipCertVerify) {
      if (trustingClient == null) {
        trustingClient = newClient(true);
      }
      return trustingClient;
    }
    if (verifyingClient == null) {
      verifyingClient = newClient(false);
    }
    return verifyingClient;
  }

  private HttpClient newClient(boolean skipCertVerify) {
    return HttpClient.newBuilder()
        .sslContext(tls.context(skipCertVerify))
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(httpExecutor)
        .build();
  }

  /** Stops the HTTP clients' work; the writers themselves are closed by their drains. */
  @Override
  public synchronized void close() {
    for (HttpClient client : new HttpClient[] {verifyingClient, trustingClient}) {
      if (client != null) {
        shutdownNow(client);
      }
    }
    httpExecutor.shutdownNow();
  }

  /** JDK 21 and later can stop a client; on JDK 17 it ends when no longer referenced. */
  private static void shutdownNow(HttpClient client) {
    try {
      HttpClient.class.getMethod("shutdownNow").invoke(client);
    } catch (ReflectiveOperationException | RuntimeException notBeforeJdk21) {
      // nothing to do
    }
  }
}
