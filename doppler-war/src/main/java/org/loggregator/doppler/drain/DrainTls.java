package org.loggregator.doppler.drain;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS contexts of the drains, built once at start-up; immutable and thread-safe. The verifying
 * context trusts the JDK's default certificate authorities plus, optionally, those of an operator's
 * PEM file; the other one trusts anything and serves only drains whose URL says {@code
 * skip-cert-verify=true}.
 */
public record DrainTls(SSLContext verifying, SSLContext trustingAll, int extraAuthorities) {
  /**
   * @param extraAuthoritiesPem a PEM file of more certificate authorities to trust, or null
   * @throws IOException when the file cannot be read or holds no certificate
   */
  public static DrainTls create(Path extraAuthoritiesPem)
      throws IOException, GeneralSecurityException {
    TrustManagerFactory jdkDefault =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jdkDefault.init((KeyStore) null);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    int n = 0;
    for (TrustManager manager : jdkDefault.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        for (X509Certificate authority : x509.getAcceptedIssuers()) {
          trusted.setCertificateEntry("jdk-" + n++, authority);
        }
      }
    }
    int extra = 0;
    if (extraAuthoritiesPem != null) {
      Collection<? extends Certificate> certificates;
      try (InputStream in = Files.newInputStream(extraAuthoritiesPem)) {
        certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      } catch (CertificateException e) {
        throw new IOException("it holds no PEM certificate (" + e.getMessage() + ")", e);
      }
      if (certificates.isEmpty()) {
        throw new IOException("it holds no PEM certificate");
      }
      for (Certificate certificate : certificates) {
        trusted.setCertificateEntry("operator-" + extra++, certificate);
      }
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    SSLContext verifying = SSLContext.getInstance("TLS");
    verifying.init(null, factory.getTrustManagers(), null);
    SSLContext trustingAll = SSLContext.getInstance("TLS");
    trustingAll.init(null, new TrustManager[] {new TrustingAll()}, null);
    return new DrainTls(verifying, trustingAll, extra);
  }

  /** The context for a drain: trusting anything only when its URL opted out of verification. */
  public SSLContext context(boolean skipCertVerify) {
    return skipCertVerify ? trustingAll : verifying;
  }

  /** Accepts every certificate and host name: for drains that opted out, never otherwise. */
  private static final class TrustingAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
