package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.loggregator.auth.PemKeys;
import org.loggregator.cli.token.TokenClaims;
import org.loggregator.cli.token.TokenMinter;
import org.loggregator.protocol.MultipartEnvelopes;
import org.loggregator.protocol.RendezvousShard;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

/**
 * The topology an operator tries with {@code bin/loggregator start --zones 2 --dopplers-per-zone 2
 * --controllers 2}: 100 apps spread over the dopplers of each zone, each app's recent logs complete
 * from either controller, and stopping one doppler loses only its apps in its zone while a tail
 * continues from the other zone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopologyIT {
  private static final Path STATE = Path.of("target/it-topology").toAbsolutePath();
  private static final int APPS = 100;

  record Server(String name, String role, String zone, int http, int udp, long pid) {}

  private static final List<Server> servers = new ArrayList<>();
  private static String adminToken;
  private static String secret;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    script(
        "start",
        "--zones",
        "2",
        "--dopplers-per-zone",
        "2",
        "--controllers",
        "2",
        "--base-port",
        "18300",
        "--name",
        "it-topo");
    for (String line : Files.readAllLines(STATE.resolve("servers"))) {
      String[] f = line.trim().split("\\s+");
      servers.add(
          new Server(
              f[0],
              f[1],
              f[2],
              Integer.parseInt(f[3]),
              Integer.parseInt(f[4]),
              Long.parseLong(f[5])));
    }
    adminToken =
        new TokenMinter(PemKeys.readPrivate(STATE.resolve("keys/token-private.pem")))
            .mint(TokenClaims.forApps().withAdmin());
    secret = scriptOutput("secret").strip();
  }

  @Test
  void shouldMakeOneSecretAtFirstStartReadableByItsOwnerOnlyAndPrintItAlone() throws Exception {
    assertTrue(secret.matches("[0-9a-f]{64}"), "32 random bytes in hex, and nothing else");
    for (Path file :
        List.of(
            STATE.resolve("shared-secret"),
            LocalTopology.WLP.resolve(
                "usr/servers/" + servers.get(0).name() + "/variables/loggregator.sharedSecret"))) {
      assertEquals(
          "rw-------",
          java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(file)),
          file.toString());
      assertEquals(secret, Files.readString(file).strip());
    }
    assertTrue(
        Files.readString(STATE.resolve("agent-z1.properties"))
            .contains("shared-secret-file=" + STATE.resolve("shared-secret")),
        "the agents' configuration names the secret's file, not the secret");
  }

  @AfterAll
  static void stop() throws Exception {
    script("stop");
  }

  /** What bin/loggregator prints on stdout for {@code args}; it must succeed. */
  private static String scriptOutput(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(System.getProperty("it.loggregator.script")));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("LOGGREGATOR_STATE_DIR", STATE.toString());
    Process process = builder.start();
    String out =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "bin/loggregator " + args[0]);
    assertEquals(0, process.exitValue(), "bin/loggregator " + args[0]);
    return out;
  }

  private static void script(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(System.getProperty("it.loggregator.script")));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("LOGGREGATOR_STATE_DIR", STATE.toString());
    builder.environment().put("SKIP_BUILD", "1");
    Process process = builder.start();
    assertTrue(process.waitFor(600, TimeUnit.SECONDS), "bin/loggregator " + args[0]);
    assertEquals(0, process.exitValue(), "bin/loggregator " + args[0]);
  }

  private static List<Server> role(String role, String zone) {
    return servers.stream()
        .filter(s -> s.role().equals(role) && (zone == null || s.zone().equals(zone)))
        .toList();
  }

  private static String app(int i) {
    return "topology-app-" + i;
  }

  /** The doppler of {@code zone} that owns {@code appId}, as agents and controllers compute it. */
  private static Server owner(String zone, String appId) {
    return new RendezvousShard<>(role("doppler", zone), s -> "127.0.0.1:" + s.udp()).owner(appId);
  }

  private static HttpResponse<byte[]> recent(Server controller, String appId) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + controller.http() + "/apps/" + appId + "/recentlogs"))
            .header("Authorization", "bearer " + adminToken)
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static Set<String> lines(HttpResponse<byte[]> response) throws Exception {
    assertEquals(200, response.statusCode());
    Set<String> lines = new HashSet<>();
    for (byte[] envelope :
        MultipartEnvelopes.parse(
            response.body(),
            MultipartEnvelopes.boundaryOf(response.headers().firstValue("Content-Type").get()))) {
      lines.add(Envelope.parseFrom(envelope).getLogMessage().getMessage().toStringUtf8());
    }
    return lines;
  }

  @Test
  @Order(1)
  void shouldSpreadAppsOverEveryDopplerAndServeCompleteRecentLogsFromEitherController()
      throws Exception {
    for (Server controller : role("controller", null)) {
      try (DopplerClient agent = new DopplerClient(controller.udp(), secret)) {
        for (int i = 0; i < APPS; i++) {
          agent.sendSigned(
              DopplerEndpointsIT.logEnvelope(app(i), "from " + controller.zone(), i + 1));
        }
      }
    }
    Thread.sleep(1500);
    for (Server doppler : role("doppler", null)) {
      long owned = 0;
      for (int i = 0; i < APPS; i++) {
        owned += owner(doppler.zone(), app(i)).equals(doppler) ? 1 : 0;
      }
      assertTrue(owned > 20, doppler.name() + " owns " + owned + " of " + APPS + " apps");
    }
    for (Server controller : role("controller", null)) {
      for (int i = 0; i < APPS; i++) {
        assertEquals(
            Set.of("from z1", "from z2"),
            lines(recent(controller, app(i))),
            app(i) + " from " + controller.name());
      }
    }
  }

  @Test
  @Order(2)
  void shouldLoseOnlyTheStoppedDopplersAppsInItsZoneAndKeepATailFromTheOtherZone()
      throws Exception {
    Server stopped = role("doppler", "z1").get(0);
    String tailed = null;
    for (int i = 0; tailed == null; i++) {
      if (owner("z1", app(i)).equals(stopped)) {
        tailed = app(i);
      }
    }
    Server controller = role("controller", "z2").get(0);
    DopplerClient.Subscription tail =
        DopplerClient.Subscription.open(
            http,
            URI.create("ws://127.0.0.1:" + controller.http() + "/apps/" + tailed + "/stream"),
            Map.of("Authorization", "bearer " + adminToken),
            true);
    try {
      Thread.sleep(1000);
      new ProcessBuilder("kill", "-TERM", "" + stopped.pid()).start().waitFor();
      ProcessHandle.of(stopped.pid()).ifPresent(p -> p.onExit().join());

      try (DopplerClient agent = new DopplerClient(controller.udp(), secret)) {
        agent.sendSigned(DopplerEndpointsIT.logEnvelope(tailed, "after the stop", 1000));
      }
      String received = null;
      byte[] envelope;
      while (received == null && (envelope = tail.next(20)) != null) {
        LogMessage log = Envelope.parseFrom(envelope).getLogMessage();
        if (!"LGR".equals(log.getSourceType())) {
          received = log.getMessage().toStringUtf8();
        }
      }
      assertEquals("after the stop", received, "the tail goes on from zone z2");
    } finally {
      tail.close();
    }

    for (int i = 0; i < APPS; i++) {
      Set<String> lines = lines(recent(role("controller", "z1").get(0), app(i)));
      if (owner("z1", app(i)).equals(stopped)) {
        assertTrue(lines.contains("from z2") && !lines.contains("from z1"), app(i) + ": " + lines);
      } else {
        assertTrue(lines.containsAll(Set.of("from z1", "from z2")), app(i) + ": " + lines);
      }
    }
  }
}
