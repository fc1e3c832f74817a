package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loggregator.auth.PemKeys;
import org.loggregator.cli.token.TokenClaims;
import org.loggregator.cli.token.TokenMinter;
import org.loggregator.protocol.MultipartEnvelopes;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

/**
 * Two zones, a doppler server in each and a controller server, all real Liberty servers: a client
 * tailing an app through the controller sees both zones, and when one zone's doppler stops it keeps
 * receiving the other's and is told.
 */
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
      Thread.sleep(1500);
      agentZ1.sendSigned(DopplerEndpointsIT.logEnvelope(APP, "from z1 before", 1));
      agentZ2.sendSigned(DopplerEndpointsIT.logEnvelope(APP, "from z2 before", 2));
      List<String> before = lines(stream, 2);
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
      List<String> after = lines(stream, 20);
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
      assertEquals(21, envelopes.size(), "zone z1's recent logs are all there");
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
