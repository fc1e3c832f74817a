package org.loggregator.agent.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loggregator.agent.testing.LoopbackHttpsServer;

/**
 * The one API call against a loopback HTTPS server of the test whose certificate is the client's
 * only CA: what it sends, and every way the answer can go wrong (status, size, pace, redirects).
 */
class KubernetesPodApiTest {

  private static final String UID = PodAnswerTest.UID;
  private static final PodRef POD = new PodRef("ns", "web-1", UID);

  @TempDir static Path dir;

  private static LoopbackHttpsServer server;
  private static volatile Behaviour behaviour;
  private static final List<String> requests = new CopyOnWriteArrayList<>();

  /** What the server does with the next request. */
  @FunctionalInterface
  interface Behaviour {
    void answer(HttpExchange exchange) throws IOException;
  }

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(dir.resolve("sa"));
    server =
        new LoopbackHttpsServer(
            dir,
            dir.resolve("sa/ca.crt"),
            exchange -> {
              requests.add(
                  exchange.getRequestURI().getPath()
                      + " "
                      + exchange.getRequestHeaders().getFirst("Authorization")
                      + " "
                      + exchange.getRequestHeaders().getFirst("Accept"));
              try {
                behaviour.answer(exchange);
              } finally {
                exchange.close();
              }
            });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void token() throws IOException {
    requests.clear();
    Files.writeString(dir.resolve("sa/token"), "token-1\n");
  }

  private static KubernetesPodApi api() throws KubernetesPodApi.SetupException {
    return KubernetesPodApi.open(URI.create(server.url()), dir.resolve("sa"), PodAnswerTest.LABEL);
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldAskForThePodsMetadataWithTheCurrentTokenWhenLookingUp() throws Exception {
    behaviour = e -> send(e, 200, PodAnswerTest.pod(UID, "\"" + PodAnswerTest.LABEL + "\":\"a\""));
    KubernetesPodApi api = api();
    assertEquals(PodAnswer.appId("a"), api.lookup(POD));
    Files.writeString(dir.resolve("sa/token"), "token-2"); // the kubelet rotated it
    assertEquals(PodAnswer.appId("a"), api.lookup(POD));
    assertEquals(
        List.of(
            "/api/v1/namespaces/ns/pods/web-1 Bearer token-1 application/json;"
                + "as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json",
            "/api/v1/namespaces/ns/pods/web-1 Bearer token-2 application/json;"
                + "as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json"),
        requests);
  }

  @Test
  void shouldSkipAGonePodAndRetryOnRefusalsOrServerErrorsWhenAnswered() throws Exception {
    KubernetesPodApi api = api();
    behaviour = e -> send(e, 404, "{\"kind\":\"Status\"}");
    assertEquals(PodAnswer.Kind.SKIP, api.lookup(POD).kind());
    behaviour = e -> send(e, 403, "{\"kind\":\"Status\"}");
    PodAnswer refused = api.lookup(POD);
    assertEquals(PodAnswer.Kind.RETRY, refused.kind());
    assertTrue(
        refused.reason().contains("HTTP 403 (the service account may not get pods"),
        refused.reason());
    behaviour = e -> send(e, 500, "oops");
    assertEquals(PodAnswer.Kind.RETRY, api.lookup(POD).kind());
    behaviour = e -> send(e, 200, "<html>not json</html>");
    assertEquals(PodAnswer.Kind.RETRY, api.lookup(POD).kind());
  }

  @Test
  void shouldNeverFollowARedirectWhenTheServerSendsOne() throws Exception {
    behaviour =
        e -> {
          if (e.getRequestURI().getPath().endsWith("/web-1")) {
            e.getResponseHeaders().set("Location", server.url() + "/elsewhere");
            send(e, 302, "");
          } else {
            send(e, 200, PodAnswerTest.pod(UID, "\"" + PodAnswerTest.LABEL + "\":\"a\""));
          }
        };
    PodAnswer a = api().lookup(POD);
    assertEquals(PodAnswer.Kind.RETRY, a.kind());
    assertEquals(1, requests.size(), requests.toString());
  }

  @Test
  void shouldStopReadingAndRetryWhenTheAnswerIsHuge() throws Exception {
    behaviour =
        e -> {
          e.sendResponseHeaders(200, 0); // chunked, no length announced
          byte[] chunk = new byte[64 * 1024];
          try (OutputStream out = e.getResponseBody()) {
            for (int i = 0; i < 1_000; i++) { // 64 MiB if it read on
              out.write(chunk);
            }
          } catch (IOException closedByTheClient) {
            // expected
          }
        };
    long start = System.nanoTime();
    PodAnswer a = api().lookup(POD);
    assertEquals(PodAnswer.Kind.RETRY, a.kind());
    assertTrue(a.reason().contains("larger than " + KubernetesPodApi.MAX_BODY_BYTES), a.reason());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "stopped early");
  }

  @Test
  void shouldGiveUpAtTheDeadlineWhenTheServerNeverFinishes() throws Exception {
    behaviour =
        e -> {
          e.sendResponseHeaders(200, 1_000);
          e.getResponseBody().write('{');
          e.getResponseBody().flush();
          try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(KubernetesPodApi.TIMEOUT_SECONDS * 3));
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
          }
        };
    long start = System.nanoTime();
    PodAnswer a = api().lookup(POD);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertEquals(PodAnswer.Kind.RETRY, a.kind());
    assertTrue(a.reason().contains("did not answer within"), a.reason());
    assertTrue(seconds <= KubernetesPodApi.TIMEOUT_SECONDS + 1, seconds + " s");
  }

  @Test
  void shouldRetryWhenTheTokenIsGoneOrTheCertificateIsNotTheClustersCa() throws Exception {
    behaviour = e -> send(e, 200, PodAnswerTest.pod(UID, "\"" + PodAnswerTest.LABEL + "\":\"a\""));
    KubernetesPodApi api = api();
    Files.delete(dir.resolve("sa/token"));
    PodAnswer noToken = api.lookup(POD);
    assertEquals(PodAnswer.Kind.RETRY, noToken.kind());
    assertTrue(noToken.reason().contains("no such file"), noToken.reason());

    Path other = Files.createDirectories(dir.resolve("other-sa"));
    Files.writeString(other.resolve("token"), "t");
    try (LoopbackHttpsServer stranger =
        new LoopbackHttpsServer(
            Files.createDirectories(dir.resolve("stranger")),
            other.resolve("ca.crt"),
            e -> send(e, 200, "{}"))) {
      KubernetesPodApi trustsTheStranger =
          KubernetesPodApi.open(URI.create(server.url()), other, PodAnswerTest.LABEL);
      PodAnswer untrusted = trustsTheStranger.lookup(POD);
      assertEquals(
          PodAnswer.Kind.RETRY, untrusted.kind(), "the server's certificate is not its CA");
    }
  }

  @Test
  void shouldNameTheFileWhenTheServiceAccountIsIncomplete() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty-sa"));
    KubernetesPodApi.SetupException noCa =
        assertThrows(
            KubernetesPodApi.SetupException.class,
            () -> KubernetesPodApi.open(URI.create(server.url()), empty, "x"));
    assertEquals(
        "Cannot read the cluster's CA certificate "
            + empty.resolve("ca.crt")
            + " (--service-account-dir): no such file.",
        noCa.getMessage());
    Files.writeString(empty.resolve("ca.crt"), "not a certificate");
    assertTrue(
        assertThrows(
                KubernetesPodApi.SetupException.class,
                () -> KubernetesPodApi.open(URI.create(server.url()), empty, "x"))
            .getMessage()
            .contains("ca.crt holds no usable CA certificate"));
    Files.copy(
        dir.resolve("sa/ca.crt"),
        empty.resolve("ca.crt"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(
        "Cannot read the service account's token "
            + empty.resolve("token")
            + " (--service-account-dir): no such file.",
        assertThrows(
                KubernetesPodApi.SetupException.class,
                () -> KubernetesPodApi.open(URI.create(server.url()), empty, "x"))
            .getMessage());
  }
}
