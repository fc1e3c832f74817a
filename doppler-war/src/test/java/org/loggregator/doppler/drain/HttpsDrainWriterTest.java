package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpsDrainWriterTest {
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private volatile int status = 200;
  private HttpsServer server;
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
    writers = new DrainWriters(DrainTls.create(TestCertificates.file("ca.pem")), Thread::new);
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
}
