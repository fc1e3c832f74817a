package org.loggregator.doppler.drain;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The test certificates in src/test/resources/drain-tls (see its README.md). */
final class TestCertificates {
  private TestCertificates() {}

  /** The file of a resource, such as {@code ca.pem}. */
  static Path file(String name) {
    try {
      return Path.of(TestCertificates.class.getResource("/drain-tls/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A server-side context presenting {@code <name>.pem} with the key {@code <name>.key}. */
  static SSLContext serverContext(String name) throws IOException, GeneralSecurityException {
    Certificate[] chain;
    try (InputStream in =
        TestCertificates.class.getResourceAsStream("/drain-tls/" + name + ".pem")) {
      chain =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(in)
              .toArray(Certificate[]::new);
    }
    String pem;
    try (InputStream in =
        TestCertificates.class.getResourceAsStream("/drain-tls/" + name + ".key")) {
      pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
    byte[] der =
        Base64.getMimeDecoder()
            .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", key, new char[0], chain);
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
