package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loggregator.doppler.drain.address.AddressGuard;
import org.loggregator.doppler.drain.address.AddressPolicy;
import org.loggregator.doppler.drain.address.DenialReason;
import org.loggregator.doppler.drain.address.DeniedAddressException;
import org.loggregator.doppler.drain.address.Resolver;

/**
 * Every writer connects through the address guard: to the address it checked, resolving at each
 * connection. Names resolve through stubs; the only sockets opened are to loopback test servers,
 * which these tests allow explicitly.
 */
class DrainAddressTest {
  private ServerSocket server;

  @AfterEach
  void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private int plainServer() throws IOException {
    server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    return server.getLocalPort();
  }

  @Test
  void shouldConnectToTheAllowedAddressOnlyWhenANameResolvesToPrivateAndLoopback()
      throws Exception {
    int port = plainServer();
    TcpSyslogWriter writer =
        new TcpSyslogWriter(
            "logs.example.com",
            port,
            TestGuards.guard(Map.of("logs.example.com", new String[] {"10.1.2.3", "127.0.0.1"})));

    writer.connect();
    try (Socket accepted = server.accept()) {
      assertEquals("127.0.0.1", accepted.getInetAddress().getHostAddress());
    } finally {
      writer.close();
    }
  }

  @Test
  void shouldRefuseTheSecondConnectWhenTheNameNowResolvesToAPrivateAddress() throws Exception {
    int port = plainServer();
    AtomicInteger lookups = new AtomicInteger();
    Resolver stub = TestGuards.stub(Map.of());
    Resolver rebinding =
        host -> stub.resolve(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "10.0.0.5");
    AddressGuard guard =
        new AddressGuard(
            rebinding, new AddressPolicy(TestGuards.LOOPBACK, List.of(), Set.of(), a -> false));
    TcpSyslogWriter writer = new TcpSyslogWriter("logs.example.com", port, guard);

    writer.connect();
    server.accept().close();
    DeniedAddressException denied = assertThrows(DeniedAddressException.class, writer::connect);

    assertEquals(DenialReason.PRIVATE, denied.denial().reason());
    assertEquals(2, lookups.get());
  }

  @Test
  void shouldDenyLoopbackWhenThePolicyDoesNotAllowItExplicitly() throws Exception {
    int port = plainServer();
    AddressGuard production =
        new AddressGuard(
            TestGuards.stub(Map.of()),
            new AddressPolicy(List.of(), List.of(), Set.of(), a -> false));

    DeniedAddressException denied =
        assertThrows(
            DeniedAddressException.class,
            new TcpSyslogWriter("127.0.0.1", port, production)::connect);

    assertEquals("loopback address (127.0.0.0/8)", denied.denial().describe());
  }

  @Test
  void shouldDenyTheServersOwnPortWhenLoopbackIsAllowed() throws Exception {
    int port = plainServer();
    AddressGuard allInOne =
        new AddressGuard(
            TestGuards.stub(Map.of()),
            new AddressPolicy(
                TestGuards.LOOPBACK, List.of(), Set.of(port), InetAddress::isLoopbackAddress));

    DeniedAddressException denied =
        assertThrows(
            DeniedAddressException.class,
            new TcpSyslogWriter("127.0.0.1", port, allInOne)::connect);

    assertEquals(DenialReason.OWN_SOCKET, denied.denial().reason());
  }

  @Test
  void shouldNameTheUrlsHostToTheTlsPeerWhenConnectedToTheCheckedAddress() throws Exception {
    List<String> serverNames = new CopyOnWriteArrayList<>();
    SSLServerSocket tlsServer =
        (SSLServerSocket)
            TestCertificates.serverContext("wrong-host") // its certificate names drain.invalid
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    SSLParameters parameters = tlsServer.getSSLParameters();
    parameters.setSNIMatchers(
        List.of(
            new SNIMatcher(0) {
              @Override
              public boolean matches(SNIServerName name) {
                serverNames.add(((SNIHostName) name).getAsciiName());
                return true;
              }
            }));
    tlsServer.setSSLParameters(parameters);
    CompletableFuture<byte[]> received =
        CompletableFuture.supplyAsync(
            () -> {
              try (SSLSocket peer = (SSLSocket) tlsServer.accept();
                  InputStream in = peer.getInputStream()) {
                return in.readAllBytes();
              } catch (IOException e) {
                return null;
              }
            });
    TlsSyslogWriter writer =
        new TlsSyslogWriter(
            "drain.invalid",
            tlsServer.getLocalPort(),
            DrainTls.create(TestCertificates.file("ca.pem")).context(false),
            true,
            TestGuards.guard(Map.of("drain.invalid", new String[] {"192.168.7.7", "127.0.0.1"})),
            TestGuards.TIMER,
            DrainWriter.WRITE_TIMEOUT);
    try {
      writer.connect();
      BatchBuffer batch = new BatchBuffer(64);
      byte[] envelope = SyslogFormatterTest.log("by name");
      new SyslogFormatter("loggregator").append(envelope, 0, envelope.length, batch);
      writer.write(batch);
      writer.close();

      assertNotNull(received.get(10, TimeUnit.SECONDS), "the host name was verified");
      assertEquals(List.of("drain.invalid"), serverNames);
    } finally {
      tlsServer.close();
    }
  }

  @Test
  void shouldDenyAnHttpsDrainWithoutSendingWhenItsAddressIsPrivate() throws Exception {
    try (DrainWriters writers =
        new DrainWriters(DrainTls.create(null), TestGuards.loopbackAllowed(), Thread::new)) {
      DrainWriter writer = writers.apply(DrainUrl.parse("https://10.0.0.1/in"));

      DeniedAddressException denied =
          assertThrows(DeniedAddressException.class, () -> writer.write(new BatchBuffer(64)));

      assertEquals("private address (10.0.0.0/8)", denied.denial().describe());
      assertThrows(DeniedAddressException.class, writer::connect);
    }
  }
}
