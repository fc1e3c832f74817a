package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.loggregator.auth.PemKeys;
import org.loggregator.cli.token.TokenClaims;
import org.loggregator.cli.token.TokenMinter;
import org.loggregator.protocol.EnvelopeBatch;
import org.loggregator.protocol.MultipartEnvelopes;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

/**
 * The traffic controller and a doppler on one Liberty server, black box: envelopes in through the
 * controller's inbound UDP port, out through its public API, with zone z2's doppler never started.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ControllerIT {
  private static final int INBOUND_PORT = 13456;
  private static final String CONTEXT = "/controller";

  private final DopplerClient agent = new DopplerClient(INBOUND_PORT);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<DopplerClient.Subscription> subscriptions = new ArrayList<>();

  @Deployment(name = "doppler", order = 1, testable = false)
  static WebArchive doppler() {
    return TestServer.war("doppler.war", "doppler.war");
  }

  @Deployment(name = "controller", order = 2, testable = false)
  static WebArchive controller() {
    return TestServer.war("controller.war", "controller.war");
  }

  @AfterEach
  void close() {
    subscriptions.forEach(DopplerClient.Subscription::close);
    agent.close();
  }

  private static TokenMinter minter() {
    try {
      return new TokenMinter(
          PemKeys.readPrivate(
              TestServer.SERVER_DIR.resolve("resources/security/token-private.pem")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String tokenFor(String... appIds) {
    return minter().mint(TokenClaims.forApps(appIds));
  }

  private DopplerClient.Subscription subscribe(String path, String token) {
    DopplerClient.Subscription s =
        DopplerClient.Subscription.open(
            http,
            DopplerClient.websocketUri(CONTEXT + path),
            token == null ? Map.of() : Map.of("Authorization", "bearer " + token),
            true);
    subscriptions.add(s);
    return s;
  }

  private HttpResponse<byte[]> get(String path, String authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + TestServer.HTTP_PORT + CONTEXT + path))
            .timeout(Duration.ofSeconds(20));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<byte[]> envelopes(HttpResponse<byte[]> response) {
    assertEquals(200, response.statusCode(), new String(response.body()));
    return MultipartEnvelopes.parse(
        response.body(),
        MultipartEnvelopes.boundaryOf(response.headers().firstValue("Content-Type").orElse("")));
  }

  /** The next LogMessage of {@code appId} that is not a notice, skipping notices. */
  private static LogMessage nextLog(DopplerClient.Subscription s, String appId) throws Exception {
    byte[] envelope;
    while ((envelope = s.next(10)) != null) {
      LogMessage log = Envelope.parseFrom(envelope).getLogMessage();
      if (appId.equals(log.getAppId()) && !"LGR".equals(log.getSourceType())) {
        return log;
      }
    }
    return null;
  }

  @Test
  void shouldStreamAnAppThroughInboundAndDopplerAndTellTheClientWhenAZoneIsDown() throws Exception {
    String appId = "stream-" + UUID.randomUUID();
    DopplerClient.Subscription stream = subscribe("/apps/" + appId + "/stream", tokenFor(appId));
    Thread.sleep(1000); // the fan-in connects to the zone's doppler
    for (int i = 0; i < 50; i++) {
      agent.sendSigned(DopplerEndpointsIT.logEnvelope(appId, "line " + i, i + 1));
    }

    List<String> received = new ArrayList<>();
    boolean zoneNotice = false;
    byte[] envelope;
    while (received.size() < 50 && (envelope = stream.next(10)) != null) {
      LogMessage log = Envelope.parseFrom(envelope).getLogMessage();
      if ("LGR".equals(log.getSourceType())) {
        zoneNotice |= log.getMessage().toStringUtf8().startsWith("Zone z2 ");
      } else {
        received.add(log.getMessage().toStringUtf8());
      }
    }
    assertEquals(50, received.size());
    assertEquals("line 0", received.get(0));
    assertEquals("line 49", received.get(49));
    // The first connection the controller's WebSocket client makes can take seconds (the
    // container initialises it then), so the notice may come well after the lines.
    while (!zoneNotice && (envelope = stream.next(30)) != null) {
      LogMessage log = Envelope.parseFrom(envelope).getLogMessage();
      zoneNotice = log.getMessage().toStringUtf8().startsWith("Zone z2 ");
    }
    assertTrue(zoneNotice, "the client is told that zone z2 cannot be reached");
  }

  @Test
  void shouldSendBatchesToAClientThatAsksForThemAndBareEnvelopesToOneThatDoesNot()
      throws Exception {
    String appId = "batched-" + UUID.randomUUID();
    String token = tokenFor(appId);
    DopplerClient.Subscription batched =
        DopplerClient.Subscription.open(
            http,
            DopplerClient.websocketUri(CONTEXT + "/apps/" + appId + "/stream"),
            Map.of("Authorization", "bearer " + token),
            true,
            EnvelopeBatch.SUBPROTOCOL);
    subscriptions.add(batched);
    DopplerClient.Subscription plain = subscribe("/apps/" + appId + "/stream", token);
    Thread.sleep(1000); // the fan-ins connect to the zone's doppler
    int count = 300;
    for (int i = 0; i < count; i++) {
      agent.sendSigned(DopplerEndpointsIT.logEnvelope(appId, "line " + i, i + 1));
    }

    assertEquals(EnvelopeBatch.SUBPROTOCOL, batched.webSocket.getSubprotocol());
    assertEquals("", plain.webSocket.getSubprotocol());
    List<String> fromBatches = new ArrayList<>();
    List<String> fromPlain = new ArrayList<>();
    while (fromBatches.size() < count) {
      byte[] batch = batched.next(10);
      assertNotNull(batch, "batch after " + fromBatches.size() + " lines");
      EnvelopeBatch.split(batch, envelope -> addLine(envelope, appId, fromBatches));
    }
    while (fromPlain.size() < count) {
      byte[] envelope = plain.next(10);
      assertNotNull(envelope, "envelope after " + fromPlain.size() + " lines");
      addLine(envelope, appId, fromPlain);
    }
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < count; i++) {
      expected.add("line " + i);
    }
    assertEquals(expected, new HashSet<>(fromBatches));
    assertEquals(expected, new HashSet<>(fromPlain));
  }

  @Test
  void shouldDeliverEveryLineOnceAndInOrderToAClientThatReadsOneEnvelopePerMessage()
      throws Exception {
    String appId = "unbatched-" + UUID.randomUUID();
    DopplerClient.Subscription plain = subscribe("/apps/" + appId + "/stream", tokenFor(appId));
    // The fan-ins connect to the zone's doppler in the background: probe until one comes through.
    List<String> probes = new ArrayList<>();
    for (int i = 0; i < 60 && probes.isEmpty(); i++) {
      agent.sendSigned(DopplerEndpointsIT.logEnvelope(appId, "probe", 1));
      for (byte[] e = plain.next(1); e != null && probes.isEmpty(); e = plain.envelopes.poll()) {
        addLine(e, appId, probes); // notices of the zone that never answers are skipped
      }
    }
    assertEquals(List.of("probe"), probes, "a probe came through the controller");
    // A server started just before runs its path interpreted at first (PERFORMANCE.md, cold
    // starts): another app's lines at the same pace warm it, so that this checks correctness.
    sendPaced("warm-up-" + UUID.randomUUID(), 4_000);
    int count = 6_000;
    sendPaced(appId, count);

    List<String> received = new ArrayList<>();
    while (received.size() < count) {
      byte[] envelope = plain.next(10);
      int got = received.size();
      assertNotNull(
          envelope,
          () ->
              "envelope after "
                  + got
                  + " lines; inbound, doppler received, doppler and controller dropped: "
                  + TestServer.metric(
                      "dropsondeListener_receivedMessageCount_total", "component=\"controller\"")
                  + ", "
                  + TestServer.metric(
                      "dropsondeListener_receivedMessageCount_total", "component=\"doppler\"")
                  + ", "
                  + TestServer.metric("messageRouter_totalDroppedMessages_total")
                  + ", "
                  + TestServer.metric("dopplerProxy_slowConsumer_total"));
      addLine(envelope, appId, received);
      received.remove("probe"); // one still on its way when the first came through
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      expected.add("line " + i);
    }
    assertEquals(expected, received, "every line once, in the order sent, one per message");
    List<String> more = new ArrayList<>();
    long until = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < until) {
      byte[] envelope = plain.envelopes.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      if (envelope != null) {
        addLine(envelope, appId, more); // notices of the zone that never answers are not lines
      }
    }
    assertEquals(List.of(), more, "no line twice");
  }

  /** Sends {@code count} lines of the app at 2,000 a second, each when it is due. */
  private void sendPaced(String appId, int count) {
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      java.util.concurrent.locks.LockSupport.parkNanos(start + i * 500_000L - System.nanoTime());
      agent.sendSigned(DopplerEndpointsIT.logEnvelope(appId, "line " + i, i + 1));
    }
  }

  /** Adds the envelope's text to {@code lines} if it is a log line of the app, not a notice. */
  private static void addLine(byte[] envelope, String appId, List<String> lines) {
    try {
      LogMessage log = Envelope.parseFrom(envelope).getLogMessage();
      if (appId.equals(log.getAppId()) && !"LGR".equals(log.getSourceType())) {
        lines.add(log.getMessage().toStringUtf8());
      }
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not an envelope", e);
    }
  }

  @Test
  void shouldMergeRecentLogsByTimeAndNameTheZoneItSkippedWhenOneIsDown() throws Exception {
    String appId = "recent-" + UUID.randomUUID();
    long[] order = {3, 1, 2};
    for (long t : order) {
      agent.sendSigned(DopplerEndpointsIT.logEnvelope(appId, "t" + t, t));
    }
    Thread.sleep(500);
    HttpResponse<byte[]> response =
        get("/apps/" + appId + "/recentlogs", "bearer " + tokenFor(appId));

    List<byte[]> recent = envelopes(response);
    assertEquals(4, recent.size(), "three lines and the notice of the missing zone");
    for (int i = 0; i < 3; i++) {
      assertEquals(i + 1, Envelope.parseFrom(recent.get(i)).getTimestamp());
    }
    LogMessage notice = Envelope.parseFrom(recent.get(3)).getLogMessage();
    assertEquals("LGR", notice.getSourceType());
    assertTrue(notice.getMessage().toStringUtf8().startsWith("Zone(s) z2 did not answer"));
    assertEquals("z2", response.headers().firstValue("X-Loggregator-Skipped-Zones").orElse(""));
  }

  @Test
  void shouldAnswerWithTheOtherZonesAndNameTheOneThatNeverAnswers() throws Exception {
    String appId = "blackhole-" + UUID.randomUUID();
    agent.sendSigned(DopplerEndpointsIT.logEnvelope(appId, "from z1", 1));
    Thread.sleep(500);
    // Zone z2's doppler address, taken by a listener that never accepts: connections hang.
    try (java.net.ServerSocket blackHole = new java.net.ServerSocket()) {
      blackHole.bind(new java.net.InetSocketAddress("127.0.0.1", 18099), 1);
      HttpResponse<byte[]> response =
          get("/apps/" + appId + "/recentlogs", "bearer " + tokenFor(appId));
      List<byte[]> recent = envelopes(response);
      assertEquals(2, recent.size(), "zone z1's line and the notice");
      assertEquals(
          "from z1", Envelope.parseFrom(recent.get(0)).getLogMessage().getMessage().toStringUtf8());
      assertTrue(
          Envelope.parseFrom(recent.get(1))
              .getLogMessage()
              .getMessage()
              .toStringUtf8()
              .startsWith("Zone(s) z2 did not answer within 5000 ms"));
      assertEquals("z2", response.headers().firstValue("X-Loggregator-Skipped-Zones").orElse(""));

      // Many at once: zone z2's silence holds z2's threads only, so every answer has zone z1's.
      List<java.util.concurrent.CompletableFuture<HttpResponse<byte[]>>> many = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        HttpRequest request =
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + TestServer.HTTP_PORT
                            + CONTEXT
                            + "/apps/"
                            + appId
                            + "/recentlogs"))
                .header("Authorization", "bearer " + tokenFor(appId))
                .timeout(Duration.ofSeconds(60))
                .build();
        many.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
      }
      for (java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> answer : many) {
        List<byte[]> each = envelopes(answer.get());
        assertEquals(
            "from z1",
            Envelope.parseFrom(each.get(0)).getLogMessage().getMessage().toStringUtf8(),
            "zone z1 answered every one of the requests made at once");
      }

      DopplerClient.Subscription stream = subscribe("/apps/" + appId + "/stream", tokenFor(appId));
      boolean told = false;
      byte[] envelope;
      while (!told && (envelope = stream.next(30)) != null) {
        String text = Envelope.parseFrom(envelope).getLogMessage().getMessage().toStringUtf8();
        told = text.startsWith("Zone z2 ") && text.contains("did not complete the connection");
      }
      assertTrue(told, "the stream is told that zone z2 does not complete its connection");
    }
  }

  @Test
  void shouldLeakNoEnvelopeToAClientWhoseTokenIsMissingBadExpiredOrForAnotherApp()
      throws Exception {
    String appId = "secret-" + UUID.randomUUID();
    agent.sendSigned(DopplerEndpointsIT.logEnvelope(appId, "TOP-SECRET-LINE", 1));
    Thread.sleep(500);
    String path = "/apps/" + appId + "/recentlogs";
    String otherKeyToken =
        new TokenMinter(PemKeys.generate().getPrivate()).mint(TokenClaims.forApps(appId));
    TokenClaims valid = TokenClaims.forApps(appId);
    String expired =
        minter()
            .mint(
                new TokenClaims(
                    valid.issuer(),
                    valid.audience(),
                    valid.subject(),
                    Instant.now().minusSeconds(7200),
                    Instant.now().minusSeconds(3600),
                    valid.id(),
                    valid.appIds(),
                    valid.scopes()));

    Map<String, Integer> expected = new java.util.LinkedHashMap<>();
    expected.put("", 401);
    expected.put("bearer not-a-token", 401);
    expected.put("bearer " + otherKeyToken, 401);
    expected.put("bearer " + expired, 401);
    expected.put("bearer " + tokenFor("another-app"), 403);
    for (Map.Entry<String, Integer> c : expected.entrySet()) {
      HttpResponse<byte[]> response = get(path, c.getKey().isEmpty() ? null : c.getKey());
      assertEquals(c.getValue(), response.statusCode(), "recent logs with " + c.getKey());
      assertTrue(
          !new String(response.body()).contains("TOP-SECRET-LINE"), "no log data in a refusal");
      Throwable refused =
          DopplerClient.Subscription.failure(
              http,
              DopplerClient.websocketUri(CONTEXT + "/apps/" + appId + "/stream"),
              c.getKey().isEmpty() ? Map.of() : Map.of("Authorization", c.getKey()));
      assertNotNull(refused, "the stream refuses " + c.getKey());
    }
    assertNotNull(
        DopplerClient.Subscription.failure(
            http,
            DopplerClient.websocketUri(CONTEXT + "/firehose/no-scope"),
            Map.of("Authorization", "bearer " + tokenFor(appId))),
        "the firehose needs its scope");
    assertEquals(
        403, get("/apps/" + appId + "/containermetrics", "bearer " + tokenFor("x")).statusCode());
    assertEquals(200, get(path, "BEARER " + tokenFor(appId)).statusCode());
  }

  @Test
  void shouldShareTheFirehoseBetweenTwoClientsOfOneSubscription() throws Exception {
    String token = minter().mint(TokenClaims.forApps().withFirehose());
    String subscription = "/firehose/share-" + UUID.randomUUID();
    DopplerClient.Subscription first = subscribe(subscription, token);
    DopplerClient.Subscription second = subscribe(subscription, token);
    Thread.sleep(1500);
    String appId = "firehose-" + UUID.randomUUID();
    int total = 200;
    for (int i = 0; i < total; i++) {
      agent.sendSigned(DopplerEndpointsIT.logEnvelope(appId, "f" + i, i));
    }

    Set<String> seen = new HashSet<>();
    int a = countApp(first, appId, seen);
    int b = countApp(second, appId, seen);
    assertEquals(total, seen.size(), "together they got every envelope");
    assertEquals(total, a + b, "and none twice");
    assertTrue(a > 0 && b > 0, "each got a share: " + a + "/" + b);
  }

  private static int countApp(DopplerClient.Subscription s, String appId, Set<String> seen)
      throws Exception {
    int count = 0;
    byte[] envelope;
    while ((envelope = s.next(3)) != null) {
      LogMessage log = Envelope.parseFrom(envelope).getLogMessage();
      if (appId.equals(log.getAppId())) {
        seen.add(log.getMessage().toStringUtf8());
        count++;
      }
    }
    return count;
  }

  @Test
  void shouldServeTheLegacyTailAndDumpWhenAskedWithAnAppParameter() throws Exception {
    String appId = "legacy-" + UUID.randomUUID();
    String token = tokenFor(appId);
    agent.sendSigned(DopplerEndpointsIT.logEnvelope(appId, "before", 1));
    Thread.sleep(500);
    DopplerClient.Subscription tail = subscribe("/tail/?app=" + appId, token);
    DopplerClient.Subscription dump = subscribe("/dump/?app=" + appId, token);
    Thread.sleep(1000);
    agent.sendSigned(DopplerEndpointsIT.logEnvelope(appId, "after", 2));

    assertEquals("after", nextLog(tail, appId).getMessage().toStringUtf8());
    assertEquals("before", nextLog(dump, appId).getMessage().toStringUtf8());
    assertEquals(1000, dump.closeCode.get(10, java.util.concurrent.TimeUnit.SECONDS));
  }

  @Test
  void shouldAuthenticateAWebSocketByCookieWhenABrowserSetItFirst() throws Exception {
    String appId = "cookie-" + UUID.randomUUID();
    String token = tokenFor(appId);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + TestServer.HTTP_PORT + CONTEXT + "/set-cookie"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "CookieName=authorization&CookieValue=bearer+" + token))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.startsWith("authorization=bearer"), cookie);

    DopplerClient.Subscription stream =
        DopplerClient.Subscription.open(
            http,
            DopplerClient.websocketUri(CONTEXT + "/apps/" + appId + "/stream"),
            Map.of(
                "Cookie",
                cookie.substring(0, cookie.indexOf(';')),
                "Origin",
                "http://127.0.0.1:" + TestServer.HTTP_PORT),
            true);
    subscriptions.add(stream);
    Thread.sleep(1000);
    agent.sendSigned(DopplerEndpointsIT.logEnvelope(appId, "by cookie", 1));
    assertEquals("by cookie", nextLog(stream, appId).getMessage().toStringUtf8());
  }

  @Test
  void shouldServeRecentLogsAndStreamsOverTlsWhenAskedOnTheHttpsPort() throws Exception {
    String appId = "tls-" + UUID.randomUUID();
    String token = tokenFor(appId);
    javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
    trustAll.init(
        null,
        new javax.net.ssl.TrustManager[] {
          new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
              return new java.security.cert.X509Certificate[0];
            }
          }
        },
        null);
    javax.net.ssl.SSLParameters noHostname = new javax.net.ssl.SSLParameters();
    noHostname.setEndpointIdentificationAlgorithm("");
    HttpClient https =
        HttpClient.newBuilder().sslContext(trustAll).sslParameters(noHostname).build();
    int httpsPort = TestServer.HTTP_PORT + 1;
    DopplerClient.Subscription stream =
        DopplerClient.Subscription.open(
            https,
            URI.create("wss://127.0.0.1:" + httpsPort + CONTEXT + "/apps/" + appId + "/stream"),
            Map.of("Authorization", "bearer " + token),
            true);
    subscriptions.add(stream);
    Thread.sleep(1000);
    agent.sendSigned(DopplerEndpointsIT.logEnvelope(appId, "over tls", 1));

    assertEquals("over tls", nextLog(stream, appId).getMessage().toStringUtf8());
    HttpResponse<byte[]> recent =
        https.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "https://127.0.0.1:"
                            + httpsPort
                            + CONTEXT
                            + "/apps/"
                            + appId
                            + "/recentlogs"))
                .header("Authorization", "bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(2, envelopes(recent).size(), "the line, and the notice of zone z2");
  }

  @Test
  void shouldAnswerNotFoundWhenThePathIsUnknown() {
    assertEquals(404, get("/no/such/path", "bearer " + tokenFor("a")).statusCode());
    assertEquals(400, get("/tail/", "bearer " + tokenFor("a")).statusCode());
  }
}
