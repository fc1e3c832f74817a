package org.loggregator.doppler.drain;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Layers TLS over a plain socket already connected to a checked address, naming the drain URL's
 * host to the peer: SNI, and the host name the certificate must match. Shared by the TLS syslog and
 * HTTPS writers.
 */
final class TlsLayer {
  private TlsLayer() {}

  /**
   * @param host the URL's host; an IPv6 literal may be in brackets
   * @param verifyHostname whether the certificate must name the host (off only for drains that
   *     opted out of verification)
   * @return the TLS socket, not yet shaken hands; closing it closes the plain one
   */
  static SSLSocket over(
      Socket plain, String host, int port, SSLContext context, boolean verifyHostname)
      throws IOException {
    String peer =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, peer, port, true);
    if (verifyHostname) {
      SSLParameters parameters = tls.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      tls.setSSLParameters(parameters);
    }
    return tls;
  }

  /** Shakes hands within the timeout, then leaves reads without one. */
  static void handshake(SSLSocket tls, int timeoutMillis) throws IOException {
    tls.setSoTimeout(timeoutMillis);
    tls.startHandshake();
    tls.setSoTimeout(0);
  }

  /**
   * Connects a plain socket to a checked address (within {@link
   * DrainWriter#CONNECT_TIMEOUT_MILLIS}, keep-alive on), handing it to {@code opening} first, so
   * that closing it from another thread ends a connect in progress.
   */
  static java.net.Socket dial(
      java.net.InetSocketAddress address, java.util.function.Consumer<java.net.Socket> opening)
      throws IOException {
    java.net.Socket opened = new java.net.Socket();
    opening.accept(opened);
    try {
      opened.connect(address, DrainWriter.CONNECT_TIMEOUT_MILLIS);
      opened.setKeepAlive(true);
      return opened;
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
  }
}
