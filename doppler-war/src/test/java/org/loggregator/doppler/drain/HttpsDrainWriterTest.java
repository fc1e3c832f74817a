package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpsDrainWriterTest {
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  private volatile int status = 200;
  private HttpsServer server;
  private Closeable closeLater;
  private DrainWriters writers;

  record Request(
      String method, String uri, String contentType, String count, String auth, byte[] body) {}

  @AfterEach
  void stop() {
    if (writers != null) {
      writers.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  private int serve(String certificate) throws Exception {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.serverContext(certificate)));
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          clientPorts.add(exchange.getRemoteAddress().getPort());
          requests.add(
              new Request(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().toString(),
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  exchange.getRequestHeaders().getFirst("Logplex-Msg-Count"),
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  body));
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    writers =
        new DrainWriters(
            DrainTls.create(TestCertificates.file("ca.pem")),
            TestGuards.loopbackAllowed(),
            Thread::new);
    return server.getAddress().getPort();
  }

  private static BatchBuffer batch(String... lines) {
    BatchBuffer batch = new BatchBuffer(64);
    SyslogFormatter formatter = new SyslogFormatter("loggregator");
    for (String line : lines) {
      byte[] envelope = SyslogFormatterTest.log(line);
      formatter.append(envelope, 0, envelope.length, batch);
    }
    return batch;
  }

  @Test
  void shouldPostTheBatchAsTextWithItsCredentialsAsBasicAuthWhenWriting() throws Exception {
    int port = serve("server");
    DrainWriter writer =
        writers.apply(DrainUrl.parse("https://user:pw@127.0.0.1:" + port + "/in?token=t"));
    BatchBuffer batch = batch("one", "two");

    writer.connect();
    writer.write(batch);

    Request request = requests.poll(10, TimeUnit.SECONDS);
    assertEquals("POST", request.method());
    assertEquals("/in?token=t", request.uri());
    assertEquals("text/plain; charset=utf-8", request.contentType());
    assertEquals("2", request.count());
    assertEquals(
        "Basic " + Base64.getEncoder().encodeToString("user:pw".getBytes(StandardCharsets.UTF_8)),
        request.auth());
    assertArrayEquals(Arrays.copyOf(batch.array(), batch.length()), request.body());
  }

  @Test
  void shouldFailAndRetryLaterWhenTheDrainAnswersAServerError() throws Exception {
    int port = serve("server");
    DrainWriter writer = writers.apply(DrainUrl.parse("https://127.0.0.1:" + port + "/"));
    status = 503;

    IOException e = assertThrows(IOException.class, () -> writer.write(batch("x")));

    assertFalse(e instanceof DrainWriter.RejectedBatchException);
    assertEquals("The drain answered HTTP 503.", e.getMessage());
  }

  @Test
  void shouldRefuseTheBatchForGoodWhenTheDrainAnswersAClientError() throws Exception {
    int port = serve("server");
    DrainWriter writer = writers.apply(DrainUrl.parse("https://127.0.0.1:" + port + "/"));
    status = 400;

    assertThrows(DrainWriter.RejectedBatchException.class, () -> writer.write(batch("x")));
    for (int retried : List.of(408, 429)) {
      status = retried;
      IOException e = assertThrows(IOException.class, () -> writer.write(batch("x")));
      assertFalse(e instanceof DrainWriter.RejectedBatchException, "HTTP " + retried);
    }
  }

  @Test
  void shouldRefuseAnUntrustedCertificateUnlessTheUrlOptedOut() throws Exception {
    int port = serve("untrusted");
    DrainWriter verifying = writers.apply(DrainUrl.parse("https://127.0.0.1:" + port + "/"));
    DrainWriter optedOut =
        writers.apply(DrainUrl.parse("https://127.0.0.1:" + port + "/?skip-cert-verify=true"));

    assertThrows(IOException.class, () -> verifying.write(batch("x")));
    optedOut.write(batch("y"));

    Request request = requests.poll(10, TimeUnit.SECONDS);
    assertEquals("/", request.uri(), "the opt-out is not passed on");
  }

  /**
   * A drain that answers one request per connection and then closes it, as a server whose
   * keep-alive ran out does: counts the connections it accepted.
   */
  private int serveOneRequestPerConnection(AtomicInteger connections) throws Exception {
    SSLServerSocket tls =
        (SSLServerSocket)
            TestCertificates.serverContext("server")
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    Thread peer =
        new Thread(
            () -> {
              while (!tls.isClosed()) {
                try (Socket s = tls.accept()) {
                  connections.incrementAndGet();
                  InputStream in = s.getInputStream();
                  StringBuilder head = new StringBuilder();
                  while (!head.toString().endsWith("\r\n\r\n")) {
                    head.append((char) in.read());
                  }
                  int length =
                      Integer.parseInt(
                          head.toString().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
                  byte[] body = in.readNBytes(length);
                  requests.add(new Request("POST", "/", null, null, null, body));
                  s.getOutputStream()
                      .write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes());
                  s.getOutputStream().flush();
                  Thread.sleep(100); // the answer is read before the connection ends
                } catch (IOException | InterruptedException e) {
                  return;
                }
              }
            });
    peer.setDaemon(true);
    peer.start();
    closeLater = tls;
    writers =
        new DrainWriters(
            DrainTls.create(TestCertificates.file("ca.pem")),
            TestGuards.loopbackAllowed(),
            Thread::new);
    return tls.getLocalPort();
  }

  @Test
  void shouldReconnectAndDeliverWhenTheDrainClosedTheKeptAliveConnection() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    int port = serveOneRequestPerConnection(connections);
    DrainWriter writer = writers.apply(DrainUrl.parse("https://localhost:" + port + "/in"));
    try {
      writer.connect();
      writer.write(batch("one"));
      Thread.sleep(300); // the drain has closed the connection by now
      writer.write(batch("two"));
      writer.write(batch("three"));
    } finally {
      writer.close();
      closeLater.close();
    }

    assertEquals(3, requests.size());
    assertEquals(3, connections.get());
  }

  @Test
  void shouldKeepTheConnectionAliveWhenTheDrainAllowsIt() throws Exception {
    int port = serve("server");
    DrainWriter writer = writers.apply(DrainUrl.parse("https://localhost:" + port + "/in"));

    writer.connect();
    for (int i = 0; i < 5; i++) {
      writer.write(batch("line " + i));
    }
    writer.close();

    assertEquals(5, requests.size());
    assertEquals("/in", requests.poll().uri());
    assertEquals(1, clientPorts.size(), "one connection for every batch");
  }
}
