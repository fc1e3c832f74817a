package org.loggregator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.loggregator.agent.testing.LoopbackHttpsServer;
import org.loggregator.agent.testing.VerifyingUdpReceiver;
import org.loggregator.protocol.TestSecrets;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

/**
 * The agent JAR in serve mode with {@code --pod-logs}, over a CRI log directory this test writes as
 * the kubelet and a container runtime would (a rotation, a container restart, a pod that appears
 * later), with the one Kubernetes API call it makes answered by a loopback HTTPS server of the
 * test, whose self-signed certificate is the only CA the agent is given. The signed datagrams are
 * read from a UDP socket on 127.0.0.1 and checked as a doppler checks them.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PodLogsIT {

  private static final String TOKEN = "test-token.abc";
  private static final String LABEL = "loggregator/app-id";
  private static final String WEB_UID = "11111111-1111-1111-1111-111111111111";
  private static final String LATER_UID = "22222222-2222-2222-2222-222222222222";
  private static final String UNLABELLED_UID = "33333333-3333-3333-3333-333333333333";
  private static final String BAD_UID = "44444444-4444-4444-4444-444444444444";

  @TempDir Path dir;

  private LoopbackHttpsServer api;
  private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
  private final AtomicInteger unauthorized = new AtomicInteger();

  @AfterEach
  void stopApi() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void shouldSendEachPodLineOnceUnderItsLabelsAppIdAcrossARotationAndSkipUnlabelledPods()
      throws Exception {
    Path root = Files.createDirectories(dir.resolve("pods"));
    Path serviceAccount = Files.createDirectories(dir.resolve("serviceaccount"));
    Files.writeString(serviceAccount.resolve("token"), TOKEN + "\n");
    api = new LoopbackHttpsServer(dir, serviceAccount.resolve("ca.crt"), this::answer);

    Path web = log(root, "ns1_web-1_" + WEB_UID, "web", 0);
    append(web, cri(0, "stdout", "F", "written before the agent started: never sent"));

    List<String> expected = new ArrayList<>();
    try (VerifyingUdpReceiver doppler = new VerifyingUdpReceiver(TestSecrets.SECRET);
        AgentProcess agent =
            AgentProcess.start(
                "serve",
                "--pod-logs",
                "--pod-logs-dir",
                root.toString(),
                "--kubernetes-api",
                api.url(),
                "--service-account-dir",
                serviceAccount.toString(),
                "--dopplers",
                doppler.address(),
                "--ingress",
                "off",
                "--metrics-port",
                "0",
                "--metrics-interval",
                "1s",
                "--source-type",
                "WEB")) {
      agent.awaitStderrLine(l -> l.contains("ready in") && l.contains("reading pod logs under"));
      List<Envelope> received = new ArrayList<>();

      // stdout and stderr, and a line the runtime wrote in three parts (P, P, F)
      append(
          web,
          cri(1, "stdout", "F", "first")
              + cri(2, "stderr", "F", "an error")
              + cri(3, "stdout", "P", "joined ")
              + cri(3, "stderr", "F", "between the parts")
              + cri(3, "stdout", "P", "from three ")
              + cri(4, "stdout", "F", "parts")
              + "2024-05-01T10:00:05Z stdout Q not a CRI line\n");
      expected.addAll(List.of("first", "an error", "between the parts", "joined from three parts"));
      awaitLogs(doppler, received, expected.size());

      // Rotation: the runtime's file is renamed, written on a little, then a new one is made.
      append(web, cri(6, "stdout", "F", "last of the old file, before the rename"));
      Path rotated = web.resolveSibling("0.log.20240501-100006");
      Files.move(web, rotated);
      append(rotated, cri(7, "stdout", "F", "written to the old file after the rename"));
      append(web, cri(8, "stdout", "F", "first of the new file"));
      append(web, cri(9, "stderr", "F", "second of the new file"));
      expected.addAll(
          List.of(
              "last of the old file, before the rename",
              "written to the old file after the rename",
              "first of the new file",
              "second of the new file"));
      awaitLogs(doppler, received, expected.size());

      // A container restart (1.log), and a pod that appears after the start: read from the start.
      append(log(root, "ns1_web-1_" + WEB_UID, "web", 1), cri(10, "stdout", "F", "restarted"));
      append(log(root, "ns1_later-0_" + LATER_UID, "app", 0), cri(11, "stdout", "F", "new pod"));
      append(
          log(root, "ns1_unlabelled-0_" + UNLABELLED_UID, "app", 0), cri(12, "stdout", "F", "x"));
      append(log(root, "ns1_bad-label-0_" + BAD_UID, "app", 0), cri(13, "stdout", "F", "y"));
      Files.createDirectories(root.resolve("not-a-pod-directory"));
      expected.addAll(List.of("restarted", "new pod"));
      awaitLogs(doppler, received, expected.size());
      awaitCounter(doppler, received, "podLogs.skippedPods", 2);
      awaitCounter(doppler, received, "podLogs.malformedLines", 1);

      agent.sigterm();
      assertEquals(0, agent.waitForExit(), agent.stderr());
      collect(doppler, received, Integer.MAX_VALUE, 300);

      List<Envelope> logs = received.stream().filter(Envelope::hasLogMessage).toList();
      List<String> texts = logs.stream().map(PodLogsIT::text).toList();
      assertEquals(expected.size(), texts.size(), "nothing twice, nothing lost: " + texts);
      assertEquals(Set.copyOf(expected), Set.copyOf(texts), texts.toString());
      List<String> webStdout =
          logs.stream()
              .filter(e -> e.getLogMessage().getSourceInstance().equals("web-1/web"))
              .filter(e -> e.getLogMessage().getMessageType() == LogMessage.MessageType.OUT)
              .map(PodLogsIT::text)
              .toList();
      assertEquals(
          List.of(
              "first",
              "joined from three parts",
              "last of the old file, before the rename",
              "written to the old file after the rename",
              "first of the new file",
              "restarted"),
          webStdout,
          "web-1's stdout in order across the rotation");

      for (Envelope e : logs) {
        LogMessage m = e.getLogMessage();
        String t = text(e);
        assertEquals("WEB", m.getSourceType());
        assertEquals(t.equals("new pod") ? "app-2" : "app-1", m.getAppId(), t);
        assertEquals(t.equals("new pod") ? "later-0/app" : "web-1/web", m.getSourceInstance(), t);
        boolean err =
            t.equals("an error") || t.equals("between the parts") || t.startsWith("second");
        assertEquals(
            err ? LogMessage.MessageType.ERR : LogMessage.MessageType.OUT, m.getMessageType(), t);
      }
      assertEquals(nanos(3), timestampOf(logs, "joined from three parts"), "the first part's time");
      assertEquals(nanos(8), timestampOf(logs, "first of the new file"));
      assertEquals(0, doppler.badSignatures());

      assertEquals(1, lookups.get("web-1").get(), "one lookup per pod: " + lookups);
      assertEquals(1, lookups.get("unlabelled-0").get(), "not asked again within 5 minutes");
      assertEquals(0, unauthorized.get(), "the token of the service account was sent");
      String err = agent.stderr();
      assertTrue(err.contains("skipping the logs of pod ns1/unlabelled-0: no label " + LABEL), err);
      assertTrue(err.contains("skipping the logs of pod ns1/bad-label-0: its label"), err);
      assertFalse(err.contains("not an id!"), "a label's value is never printed");
      assertTrue(err.contains("pods skipped"), err);
    }
  }

  // ---- the directory, written as the kubelet and the runtime write it

  private static Path log(Path root, String podDir, String container, int restart)
      throws IOException {
    return Files.createDirectories(root.resolve(podDir).resolve(container))
        .resolve(restart + ".log");
  }

  private static String cri(int second, String stream, String tag, String message) {
    return String.format(
        "2024-05-01T10:00:%02d.000000042Z %s %s %s%n", second, stream, tag, message);
  }

  private static long nanos(int second) {
    return Instant.parse(String.format("2024-05-01T10:00:%02dZ", second)).getEpochSecond()
            * 1_000_000_000L
        + 42;
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(
        file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
  }

  // ---- the datagrams

  private static String text(Envelope e) {
    return e.getLogMessage().getMessage().toStringUtf8();
  }

  private static long timestampOf(List<Envelope> logs, String text) {
    return logs.stream()
        .filter(e -> text(e).equals(text))
        .findFirst()
        .orElseThrow()
        .getLogMessage()
        .getTimestamp();
  }

  private static void awaitLogs(VerifyingUdpReceiver doppler, List<Envelope> received, int count)
      throws IOException {
    await(doppler, received, r -> r.stream().filter(Envelope::hasLogMessage).count() >= count);
  }

  private static void awaitCounter(
      VerifyingUdpReceiver doppler, List<Envelope> received, String name, long total)
      throws IOException {
    await(
        doppler,
        received,
        r -> r.stream().anyMatch(e -> AgentProcess.isAgentCounter(e, name, total)));
  }

  private static void await(
      VerifyingUdpReceiver doppler, List<Envelope> received, Predicate<List<Envelope>> done)
      throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.test(received)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not received in 30 s; so far: " + received);
      }
      collect(doppler, received, received.size() + 1, 200);
    }
  }

  /** Adds to {@code received} what the receiver accepts until it holds {@code count} in all. */
  private static void collect(
      VerifyingUdpReceiver doppler, List<Envelope> received, int count, long quietMillis)
      throws IOException {
    List<byte[]> all = doppler.receive(count, quietMillis);
    for (byte[] envelope : all.subList(received.size(), all.size())) {
      received.add(AgentProcessIT.parse(envelope));
    }
  }

  // ---- the Kubernetes API, one call

  private void answer(HttpExchange exchange) throws IOException {
    String name =
        exchange.getRequestURI().getPath().substring("/api/v1/namespaces/ns1/pods/".length());
    lookups.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      unauthorized.incrementAndGet();
      send(exchange, 401, "{\"kind\":\"Status\",\"code\":401}");
      return;
    }
    String body =
        switch (name) {
          case "web-1" -> pod(WEB_UID, "\"" + LABEL + "\":\"app-1\",\"app\":\"web\"");
          case "later-0" -> pod(LATER_UID, "\"" + LABEL + "\":\"app-2\"");
          case "unlabelled-0" -> pod(UNLABELLED_UID, "\"app\":\"x\"");
          case "bad-label-0" -> pod(BAD_UID, "\"" + LABEL + "\":\"not an id!\"");
          default -> null;
        };
    if (body == null) {
      send(exchange, 404, "{\"kind\":\"Status\",\"code\":404}");
    } else {
      send(exchange, 200, body);
    }
  }

  private static String pod(String uid, String labels) {
    return "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"uid\":\""
        + uid
        + "\",\"labels\":{"
        + labels
        + "}},\"spec\":{\"containers\":[{\"name\":\"c\"}]}}";
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
