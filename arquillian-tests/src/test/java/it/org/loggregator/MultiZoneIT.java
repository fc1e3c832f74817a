package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.loggregator.auth.PemKeys;
import org.loggregator.cli.token.TokenClaims;
import org.loggregator.cli.token.TokenMinter;
import org.loggregator.protocol.MultipartEnvelopes;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

/**
 * Two zones, a doppler server in each and a controller server, all real Liberty servers, with the
 * real agent and logs command as processes: an app's lines go agent → controller inbound → doppler
 * → controller → logs; a client tailing an app through the controller sees both zones, and when one
 * zone's doppler stops it keeps receiving the other's and is told. (The zone test stops a server,
 * so it runs last.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MultiZoneIT {
  private static LocalTopology topology;
  private static String token;
  private static final String APP = "multizone-" + UUID.randomUUID();

  @BeforeAll
  static void start() throws Exception {
    topology = new LocalTopology("it-mz", 2, 1, 1, 18200);
    topology.startAll();
    token =
        new TokenMinter(
                PemKeys.readPrivate(
                    topology
                        .serverDir(topology.controllers().get(0))
                        .resolve("resources/security/token-private.pem")))
            .mint(TokenClaims.forApps(APP));
  }

  @AfterAll
  static void stop() throws Exception {
    if (topology != null) {
      topology.close();
    }
  }

  @Test
  @Order(1)
  void shouldCarryAnAppsLinesFromTheAgentThroughControllerAndDopplerToTheLogsCommand()
      throws Exception {
    LocalTopology.Server controller = topology.controllers().get(0);
    String app = "e2e-" + UUID.randomUUID();
    String appToken =
        new TokenMinter(
                PemKeys.readPrivate(
                    topology.serverDir(controller).resolve("resources/security/token-private.pem")))
            .mint(TokenClaims.forApps(app));
    Map<String, String> env =
        Map.of("LOGS_ENDPOINT", controller.baseUrl(), "LOGS_TOKEN", appToken, "TZ", "UTC");
    Process tail = java(System.getProperty("it.logs.jar"), env, app);
    BlockingQueue<String> tailed = linesOf(tail);
    try {
      assertEquals("Connected, tailing...", tailed.poll(60, TimeUnit.SECONDS));
      // The controller connects to each zone's owner in the background, retrying a zone that does
      // not answer yet: send probes along the agent's path until one comes through.
      boolean through = false;
      try (DopplerClient agentPath = new DopplerClient(controller.udpPort())) {
        for (int i = 0; i < 60 && !through; i++) {
          agentPath.sendSigned(DopplerEndpointsIT.logEnvelope(app, "probe", i + 1));
          for (String line = tailed.poll(1, TimeUnit.SECONDS);
              line != null && !through;
              line = tailed.poll()) {
            through = line.endsWith(" APP/0 probe");
          }
        }
      }
      assertTrue(through, "a probe reached the tail through the controller and a doppler");
      Process agent =
          java(
              System.getProperty("it.agent.jar"),
              Map.of(),
              "run",
              "--shared-secret",
              DopplerClient.SECRET,
              "--app-id",
              app,
              "--controller",
              "127.0.0.1:" + controller.udpPort(),
              "--",
              "sh",
              "-c",
              "for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2");
      assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent ends with its child");
      assertEquals(0, agent.exitValue());

      List<String> lines = new ArrayList<>();
      while (lines.size() < 6) {
        String line = tailed.poll(30, TimeUnit.SECONDS);
        assertNotNull(line, "the tail printed " + lines);
        if (!line.contains(" LGR/") && !line.endsWith(" APP/0 probe")) {
          lines.add(line);
        }
      }
      assertTrue(lines.stream().anyMatch(l -> l.endsWith(" " + app + " APP/0 line 1")), "" + lines);
      assertTrue(lines.stream().anyMatch(l -> l.endsWith(" APP/0 STDERR oops")), "" + lines);
    } finally {
      tail.destroy();
      tail.waitFor(10, TimeUnit.SECONDS);
    }

    Path printedFile = Files.createTempFile("multizone-recent", ".txt");
    try {
      Process recent =
          javaBuilder(System.getProperty("it.logs.jar"), env, app, "--recent")
              .redirectOutput(printedFile.toFile())
              .start();
      assertTrue(recent.waitFor(60, TimeUnit.SECONDS), "logs --recent ends");
      String printed = Files.readString(printedFile);
      assertEquals(0, recent.exitValue(), printed);
      List<String> lines = printed.lines().filter(l -> l.contains(" APP/0 line ")).toList();
      assertEquals(5, lines.size(), printed);
      for (int i = 0; i < 5; i++) {
        assertTrue(lines.get(i).endsWith("line " + (i + 1)), "recent logs in order: " + printed);
      }
    } finally {
      Files.deleteIfExists(printedFile);
    }
  }

  /** A process's standard output, line by line, read on a thread of its own so waits can end. */
  static BlockingQueue<String> linesOf(Process process) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  lines.add(line);
                }
              } catch (IOException ended) {
                // the process was stopped
              }
            },
            "multizone-tail-reader");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static Process java(String jar, Map<String, String> env, String... args)
      throws IOException {
    return javaBuilder(jar, env, args).start();
  }

  private static ProcessBuilder javaBuilder(String jar, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar);
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    return builder;
  }

  @Test
  @Order(2)
  void shouldKeepStreamingTheOtherZoneAndTellTheClientWhenOneZonesDopplerStops() throws Exception {
    LocalTopology.Server controller = topology.controllers().get(0);
    LocalTopology.Server z1 = topology.dopplers().get(0);
    LocalTopology.Server z2 = topology.dopplers().get(1);
    HttpClient http = HttpClient.newHttpClient();
    DopplerClient.Subscription stream =
        DopplerClient.Subscription.open(
            http,
            URI.create("ws://127.0.0.1:" + controller.httpPort() + "/apps/" + APP + "/stream"),
            Map.of("Authorization", "bearer " + token),
            true);
    try (DopplerClient agentZ1 = new DopplerClient(z1.udpPort());
        DopplerClient agentZ2 = new DopplerClient(z2.udpPort())) {
      // The stream's connections to the zones open in the background, each when its zone's
      // doppler answers: send to both until a line from each has come through.
      Set<String> before = new HashSet<>();
      for (int i = 0; i < 60 && before.size() < 2; i++) {
        agentZ1.sendSigned(DopplerEndpointsIT.logEnvelope(APP, "from z1 before", 1));
        agentZ2.sendSigned(DopplerEndpointsIT.logEnvelope(APP, "from z2 before", 2));
        byte[] envelope = stream.next(1);
        while (envelope != null) {
          before.add(Envelope.parseFrom(envelope).getLogMessage().getMessage().toStringUtf8());
          envelope = stream.envelopes.poll();
        }
      }
      assertTrue(
          before.contains("from z1 before") && before.contains("from z2 before"), "" + before);

      topology.stop(z2);
      boolean told = false;
      byte[] envelope;
      while (!told && (envelope = stream.next(20)) != null) {
        LogMessage log = Envelope.parseFrom(envelope).getLogMessage();
        told =
            "LGR".equals(log.getSourceType())
                && log.getMessage().toStringUtf8().startsWith("Zone z2 ");
      }
      assertTrue(told, "the client is told zone z2 is gone");
      for (int i = 0; i < 20; i++) {
        agentZ1.sendSigned(DopplerEndpointsIT.logEnvelope(APP, "from z1 after " + i, 10 + i));
      }
      List<String> after = new ArrayList<>();
      while (after.size() < 20) {
        String line = lines(stream, 1).get(0);
        if (line.contains(" after ")) { // not a "before" line still on its way
          after.add(line);
        }
      }
      assertEquals("from z1 after 0", after.get(0));
      assertEquals("from z1 after 19", after.get(19));

      HttpResponse<byte[]> recent =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(controller.baseUrl() + "/apps/" + APP + "/recentlogs"))
                  .header("Authorization", "bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, recent.statusCode());
      assertEquals("z2", recent.headers().firstValue("X-Loggregator-Skipped-Zones").orElse(""));
      List<byte[]> envelopes =
          MultipartEnvelopes.parse(
              recent.body(),
              MultipartEnvelopes.boundaryOf(recent.headers().firstValue("Content-Type").get()));
      List<String> recentLines = new ArrayList<>();
      for (byte[] each : envelopes) {
        recentLines.add(Envelope.parseFrom(each).getLogMessage().getMessage().toStringUtf8());
      }
      assertEquals(
          after,
          recentLines.stream().filter(l -> l.startsWith("from z1 after ")).toList(),
          "zone z1's recent logs are all there, in order");
      assertTrue(
          recentLines.stream().noneMatch(l -> l.startsWith("from z2 ")),
          "nothing of the stopped zone: " + recentLines);
      assertTrue(
          recentLines.get(recentLines.size() - 1).startsWith("Zone(s) z2 did not answer"),
          "the notice names zone z2 last: " + recentLines);
    } finally {
      stream.close();
    }
  }

  /** The next {@code count} app lines, skipping notices. */
  private static List<String> lines(DopplerClient.Subscription stream, int count) throws Exception {
    List<String> lines = new ArrayList<>();
    while (lines.size() < count) {
      byte[] envelope = stream.next(20);
      assertNotNull(envelope, "line " + lines.size() + " of " + count);
      LogMessage log = Envelope.parseFrom(envelope).getLogMessage();
      if (APP.equals(log.getAppId()) && !"LGR".equals(log.getSourceType())) {
        lines.add(log.getMessage().toStringUtf8());
      }
    }
    return lines;
  }
}
