package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSyslogWriterTest {
  private SSLServerSocket server;
  private CompletableFuture<byte[]> received;

  @AfterEach
  void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /** A TLS syslog peer presenting the named test certificate, reading one connection. */
  private int serve(String certificate) throws Exception {
    server =
        (SSLServerSocket)
            TestCertificates.serverContext(certificate)
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    received =
        CompletableFuture.supplyAsync(
            () -> {
              try (SSLSocket peer = (SSLSocket) server.accept();
                  InputStream in = peer.getInputStream()) {
                return in.readAllBytes();
              } catch (IOException e) {
                return null; // a refused handshake
              }
            });
    return server.getLocalPort();
  }

  private static DrainTls tlsTrustingTestCa() throws Exception {
    return DrainTls.create(TestCertificates.file("ca.pem"));
  }

  private static BatchBuffer batch() {
    BatchBuffer batch = new BatchBuffer(64);
    byte[] envelope = SyslogFormatterTest.log("over TLS");
    new SyslogFormatter("loggregator").append(envelope, 0, envelope.length, batch);
    return batch;
  }

  private static void assertCertificateRefused(IOException e) {
    Throwable cause = e;
    while (cause != null && !(cause instanceof CertificateException)) {
      cause = cause.getCause();
    }
    assertNotNull(cause, "refused for its certificate: " + e);
  }

  @Test
  void shouldDeliverTheFramesWhenTheCertificateIsSignedByATrustedAuthority() throws Exception {
    int port = serve("server");
    DrainTls tls = tlsTrustingTestCa();
    TlsSyslogWriter writer =
        new TlsSyslogWriter(
            "127.0.0.1",
            port,
            tls.context(false),
            true,
            TestGuards.loopbackAllowed(),
            TestGuards.TIMER,
            DrainWriter.WRITE_TIMEOUT);
    BatchBuffer batch = batch();

    writer.connect();
    writer.write(batch);
    writer.close();

    assertEquals(1, tls.extraAuthorities());
    assertArrayEquals(
        Arrays.copyOf(batch.array(), batch.length()), received.get(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldVerifyTheHostNameWhenConnectingByName() throws Exception {
    int port = serve("server");
    TlsSyslogWriter writer =
        new TlsSyslogWriter(
            "localhost",
            port,
            tlsTrustingTestCa().context(false),
            true,
            TestGuards.loopbackAllowed(),
            TestGuards.TIMER,
            DrainWriter.WRITE_TIMEOUT);

    writer.connect();
    writer.write(batch());
    writer.close();

    assertNotNull(received.get(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldRefuseTheDrainWhenItsCertificateIsSelfSigned() throws Exception {
    int port = serve("untrusted");
    TlsSyslogWriter writer =
        new TlsSyslogWriter(
            "127.0.0.1",
            port,
            tlsTrustingTestCa().context(false),
            true,
            TestGuards.loopbackAllowed(),
            TestGuards.TIMER,
            DrainWriter.WRITE_TIMEOUT);

    assertCertificateRefused(assertThrows(SSLException.class, writer::connect));
  }

  @Test
  void shouldRefuseTheDrainWhenItsCertificateNamesAnotherHost() throws Exception {
    int port = serve("wrong-host");
    TlsSyslogWriter writer =
        new TlsSyslogWriter(
            "127.0.0.1",
            port,
            tlsTrustingTestCa().context(false),
            true,
            TestGuards.loopbackAllowed(),
            TestGuards.TIMER,
            DrainWriter.WRITE_TIMEOUT);

    SSLException e = assertThrows(SSLException.class, writer::connect);

    assertCertificateRefused(e);
  }

  @Test
  void shouldRefuseTheTestAuthorityWhenOnlyTheJdkDefaultsAreTrusted() throws Exception {
    int port = serve("server");
    TlsSyslogWriter writer =
        new TlsSyslogWriter(
            "127.0.0.1",
            port,
            DrainTls.create(null).context(false),
            true,
            TestGuards.loopbackAllowed(),
            TestGuards.TIMER,
            DrainWriter.WRITE_TIMEOUT);

    assertCertificateRefused(assertThrows(SSLException.class, writer::connect));
  }

  @Test
  void shouldAcceptAnyCertificateWhenTheUrlOptedOut() throws Exception {
    int port = serve("untrusted");
    DrainUrl url = DrainUrl.parse("syslog-tls://127.0.0.1:" + port + "?skip-cert-verify=true");
    try (DrainWriters writers =
        new DrainWriters(tlsTrustingTestCa(), TestGuards.loopbackAllowed(), Thread::new)) {
      DrainWriter writer = writers.apply(url);

      writer.connect();
      writer.write(batch());
      writer.close();
    }

    assertNotNull(received.get(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldRefuseToStartWhenTheTrustStoreHoldsNoCertificate(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");

    IOException e = assertThrows(IOException.class, () -> DrainTls.create(empty));
    assertTrue(e.getMessage().contains("no PEM certificate"), e.getMessage());
  }
}
