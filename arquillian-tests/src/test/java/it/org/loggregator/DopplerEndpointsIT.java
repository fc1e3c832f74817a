package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.loggregator.protocol.EnvelopeBatch;
import org.loggregator.protocol.GoldenVectors;
import org.loggregator.protocol.TestEnvelopes;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

/**
 * The doppler on Liberty, black box: signed datagrams in on UDP, the same bytes out through the
 * WebSocket and HTTP endpoints that controllers use.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DopplerEndpointsIT {
  private static final String VECTOR_APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";

  private final DopplerClient doppler = new DopplerClient();
  private final List<DopplerClient.Subscription> subscriptions = new ArrayList<>();

  @Deployment(testable = false)
  static WebArchive doppler() {
    return TestServer.war("doppler.war", "doppler.war");
  }

  @AfterEach
  void closeClients() {
    subscriptions.forEach(DopplerClient.Subscription::close);
    doppler.close();
  }

  private DopplerClient.Subscription subscribe(String path, boolean reading) {
    DopplerClient.Subscription subscription = doppler.subscribe(path, reading);
    subscriptions.add(subscription);
    return subscription;
  }

  static byte[] logEnvelope(String appId, String text, long timestamp) {
    return TestEnvelopes.bytes(TestEnvelopes.log(appId, text, timestamp).setOrigin("it"));
  }

  @Test
  void shouldForwardTheGoldenEnvelopesUnchangedWhenSentSigned() throws Exception {
    int badBefore =
        (int)
            TestServer.metric(
                "signatureVerifier_invalidSignatures_total",
                "component=\"doppler\"",
                "reason=\"mismatch\"");
    // As printed, with the published secret: refused.
    doppler.sendRaw(GoldenVectors.signedBytes("log_out"));
    DopplerClient.Subscription stream = subscribe("/apps/" + VECTOR_APP + "/stream", true);
    DopplerClient.Subscription firehose = subscribe("/firehose/golden-" + UUID.randomUUID(), true);
    Thread.sleep(300); // let the subscriptions register before sending
    List<String> cases = GoldenVectors.CASES;
    for (String name : cases) {
      // The vectors are signed with the published secret, which no server takes: the same
      // envelope bytes, signed with this server's secret.
      doppler.sendSigned(GoldenVectors.envelopeBytes(name));
    }

    Set<String> fromFirehose = new HashSet<>();
    for (int i = 0; i < cases.size(); i++) {
      byte[] envelope = firehose.next(10);
      assertNotNull(envelope, "firehose envelope " + i);
      fromFirehose.add(java.util.HexFormat.of().formatHex(envelope));
    }
    for (String name : cases) {
      byte[] expected = GoldenVectors.envelopeBytes(name);
      assertTrue(
          fromFirehose.contains(java.util.HexFormat.of().formatHex(expected)),
          name + " reached the firehose byte for byte");
    }
    byte[] streamed = stream.next(10);
    assertArrayEquals(GoldenVectors.envelopeBytes("log_out"), streamed);
    List<byte[]> recent = doppler.getEnvelopes("/apps/" + VECTOR_APP + "/recentlogs");
    byte[] logOut = GoldenVectors.envelopeBytes("log_out");
    assertTrue(
        recent.stream().anyMatch(e -> java.util.Arrays.equals(e, logOut)),
        "log_out is among the recent logs");
    assertTrue(
        TestServer.metric(
                "signatureVerifier_invalidSignatures_total",
                "component=\"doppler\"",
                "reason=\"mismatch\"")
            > badBefore,
        "the vector signed with the published secret was refused");
  }

  @Test
  void shouldSendEnvelopeBatchesOnlyToAConnectionThatAskedForThem() throws Exception {
    String appId = "batched-" + UUID.randomUUID();
    DopplerClient.Subscription batched = doppler.subscribeBatched("/apps/" + appId + "/stream");
    subscriptions.add(batched);
    DopplerClient.Subscription plain = subscribe("/apps/" + appId + "/stream", true);
    Thread.sleep(300);
    int count = 500;
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] envelope = logEnvelope(appId, "line " + i, 1_000_000L + i);
      sent.add(envelope);
      doppler.sendSigned(envelope);
    }

    assertEquals(EnvelopeBatch.SUBPROTOCOL, batched.webSocket.getSubprotocol());
    assertEquals("", plain.webSocket.getSubprotocol());
    List<byte[]> fromBatches = new ArrayList<>();
    while (fromBatches.size() < count) {
      byte[] batch = batched.next(10);
      assertNotNull(batch, "batch after " + fromBatches.size() + " envelopes");
      EnvelopeBatch.split(batch, fromBatches::add);
    }
    for (int i = 0; i < count; i++) {
      assertArrayEquals(sent.get(i), fromBatches.get(i), "batched envelope " + i);
      assertArrayEquals(sent.get(i), plain.next(10), "plain envelope " + i);
    }
  }

  @Test
  void shouldCountBadDatagramsByReasonAndLoseNoGoodOneWhenMixedIn() throws Exception {
    String appId = "mixed-" + UUID.randomUUID();
    DopplerClient.Subscription stream = subscribe("/apps/" + appId + "/stream", true);
    Thread.sleep(300);
    double shortBefore = invalid("short");
    double mismatchBefore = invalid("mismatch");
    double truncatedBefore = unmarshal("truncated");
    double missingBefore = unmarshal("missing_required");

    int good = 300;
    byte[] garbage = new byte[] {0x0a, 0x7f, 0x01};
    for (int i = 0; i < good; i++) {
      doppler.sendSigned(logEnvelope(appId, "line " + i, 1_000_000L + i));
      if (i % 10 == 0) {
        doppler.sendRaw(new byte[] {1, 2, 3}); // short
        byte[] wrong = new DopplerClient().signatureFor("x").getBytes(); // not a signed envelope
        doppler.sendRaw(java.util.Arrays.copyOf(wrong, 64)); // wrong HMAC
        doppler.sendSigned(garbage); // truncated
        doppler.sendSigned(Envelope.newBuilder().setOrigin("o").buildPartial().toByteArray());
      }
    }

    for (int i = 0; i < good; i++) {
      byte[] envelope = stream.next(10);
      assertNotNull(envelope, "stream envelope " + i);
      assertEquals(
          "line " + i, Envelope.parseFrom(envelope).getLogMessage().getMessage().toStringUtf8());
    }
    assertEquals(30, invalid("short") - shortBefore);
    assertEquals(30, invalid("mismatch") - mismatchBefore);
    assertEquals(30, unmarshal("truncated") - truncatedBefore);
    assertEquals(30, unmarshal("missing_required") - missingBefore);
    assertEquals(good, doppler.getEnvelopes("/apps/" + appId + "/recentlogs").size());
  }

  private static double invalid(String reason) {
    return TestServer.metric(
        "signatureVerifier_invalidSignatures_total",
        "component=\"doppler\"",
        "reason=\"" + reason + "\"");
  }

  private static double unmarshal(String reason) {
    return TestServer.metric(
        "dropsondeUnmarshaller_unmarshalErrors_total",
        "component=\"doppler\"",
        "reason=\"" + reason + "\"");
  }

  @Test
  void shouldServeRecentLogsSortedByTimestampWhenTheyArriveOutOfOrder() throws Exception {
    String appId = "sorted-" + UUID.randomUUID();
    long[] order = {5, 1, 4, 2, 3};
    for (long t : order) {
      doppler.sendSigned(logEnvelope(appId, "t" + t, t));
    }
    List<byte[]> recent = awaitEnvelopes("/apps/" + appId + "/recentlogs", order.length);

    for (int i = 0; i < order.length; i++) {
      assertEquals(i + 1, Envelope.parseFrom(recent.get(i)).getTimestamp());
    }
  }

  @Test
  void shouldServeTheLatestContainerMetricOfEachInstanceWhenAsked() throws Exception {
    String appId = "metrics-" + UUID.randomUUID();
    for (int round = 0; round < 3; round++) {
      for (int instance = 0; instance < 2; instance++) {
        doppler.sendSigned(
            TestEnvelopes.bytes(
                TestEnvelopes.containerMetric(appId, instance, round, 1, 1)
                    .setOrigin("it")
                    .setTimestamp(round)));
      }
    }
    Thread.sleep(500);
    List<byte[]> metrics = doppler.getEnvelopes("/apps/" + appId + "/containermetrics");

    assertEquals(2, metrics.size());
    for (byte[] metric : metrics) {
      assertEquals(2.0, Envelope.parseFrom(metric).getContainerMetric().getCpuPercentage());
    }
  }

  @Test
  void shouldGiveEachFirehoseEnvelopeToOneConnectionWhenTwoShareASubscription() throws Exception {
    String subscription = "/firehose/shared-" + UUID.randomUUID();
    DopplerClient.Subscription first = subscribe(subscription, true);
    DopplerClient.Subscription second = subscribe(subscription, true);
    Thread.sleep(300);
    String appId = "firehose-" + UUID.randomUUID();
    int total = 200;
    for (int i = 0; i < total; i++) {
      doppler.sendSigned(logEnvelope(appId, "f" + i, i));
    }

    Set<String> seen = new HashSet<>();
    int fromFirst = drainMatching(first, appId, seen);
    int fromSecond = drainMatching(second, appId, seen);
    assertEquals(total, seen.size(), "together they got every envelope");
    assertEquals(total, fromFirst + fromSecond, "and none twice");
    assertTrue(
        fromFirst > 0 && fromSecond > 0, "each got a share: " + fromFirst + "/" + fromSecond);
  }

  private static int drainMatching(DopplerClient.Subscription s, String appId, Set<String> seen)
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
  void shouldKeepFeedingAReaderAndTellTheOtherWhatItLostWhenOneSubscriberStopsReading()
      throws Exception {
    String appId = "slow-" + UUID.randomUUID();
    DopplerClient.Subscription stuck = subscribe("/apps/" + appId + "/stream", false);
    DopplerClient.Subscription reader = subscribe("/apps/" + appId + "/stream", true);
    Thread.sleep(300);
    String padding = "x".repeat(8 * 1024);
    int total = 3000; // about 25 MB: more than the socket buffers and the 4 MiB queue
    for (int i = 0; i < total; i++) {
      doppler.sendSigned(logEnvelope(appId, i + " " + padding, i));
      if (i % 50 == 49) {
        Thread.sleep(20); // a pace a reader keeps up with even on a busy machine
      }
    }

    for (int i = 0; i < total; i++) {
      byte[] envelope = reader.next(10);
      assertNotNull(envelope, "the reader got envelope " + i);
      assertTrue(
          Envelope.parseFrom(envelope)
              .getLogMessage()
              .getMessage()
              .toStringUtf8()
              .startsWith(i + " "));
    }
    assertTrue(
        TestServer.metric(
                "messageRouter_totalDroppedMessages_total",
                "component=\"doppler\"",
                "direction=\"egress\"")
            > 0,
        "the stuck subscriber's drops are counted");
    stuck.startReading();
    boolean noticed = false;
    byte[] envelope;
    while (!noticed && (envelope = stuck.next(10)) != null) {
      LogMessage log = Envelope.parseFrom(envelope).getLogMessage();
      noticed =
          "LGR".equals(log.getSourceType())
              && log.getMessage().toStringUtf8().startsWith("Log message output too high.");
    }
    assertTrue(noticed, "the subscriber that fell behind is told it lost messages");
  }

  @Test
  void shouldAcceptWhatTheRealAgentSignsAndSendsWhenItRunsAnApp() throws Exception {
    String appId = "agent-" + UUID.randomUUID();
    Process agent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("it.agent.jar"),
                "run",
                "--shared-secret",
                DopplerClient.SECRET,
                "--app-id",
                appId,
                "--dopplers",
                "127.0.0.1:" + DopplerClient.UDP_PORT,
                "--quiet",
                "--",
                "sh",
                "-c",
                "echo hello from the agent; echo and from stderr >&2")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(agent.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(0, agent.exitValue());

    List<byte[]> recent = awaitEnvelopes("/apps/" + appId + "/recentlogs", 2);
    Set<String> lines = new HashSet<>();
    for (byte[] envelope : recent) {
      lines.add(Envelope.parseFrom(envelope).getLogMessage().getMessage().toStringUtf8());
    }
    assertEquals(Set.of("hello from the agent", "and from stderr"), lines);
  }

  @Test
  void shouldRefuseRequestsWhenTheSignatureIsMissingWrongStaleOrReplayed() {
    String path = "/apps/any/recentlogs";
    assertEquals(401, doppler.get(path, "").statusCode());
    assertEquals(401, doppler.get(path, "t=1,n=00,sig=00").statusCode());
    String stale =
        new org.loggregator.protocol.RequestSignature(DopplerClient.SECRET)
            .header(
                org.loggregator.protocol.RequestSignature.Request.get(path),
                System.currentTimeMillis() / 1000 - 61);
    assertEquals(401, doppler.get(path, stale).statusCode());
    assertEquals(
        401, doppler.get(path, doppler.signatureFor("/apps/other/recentlogs")).statusCode());
    assertEquals(401, doppler.get(path, doppler.signatureFor(path + "?x=1")).statusCode());
    String once = doppler.signatureFor(path);
    assertEquals(200, doppler.get(path, once).statusCode());
    assertEquals(401, doppler.get(path, once).statusCode(), "a replayed signature");
    assertTrue(
        new String(doppler.get(path, "").body()).contains("X-Loggregator-Signature"),
        "the refusal says what is missing");
    assertNotNull(doppler.subscribeFailure("/apps/any/stream", null), "unsigned WebSocket refused");
    assertNotNull(
        doppler.subscribeFailure(
            "/apps/any/stream",
            doppler.signatureFor(
                org.loggregator.protocol.RequestSignature.Request.get("/apps/any/stream")
                    .withSubprotocols(org.loggregator.protocol.EnvelopeBatch.SUBPROTOCOL))),
        "a signature for another subprotocol is refused");
    assertNull(
        doppler.subscribeFailure("/apps/any/stream", doppler.signatureFor("/apps/any/stream")),
        "a signed WebSocket is accepted");
  }

  private List<byte[]> awaitEnvelopes(String path, int count) throws InterruptedException {
    List<byte[]> envelopes = List.of();
    for (int i = 0; i < 50 && envelopes.size() < count; i++) {
      Thread.sleep(100);
      envelopes = doppler.getEnvelopes(path);
    }
    return envelopes;
  }
}
