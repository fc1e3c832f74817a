package org.loggregator.agent.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.loggregator.config.DopplerAddress;
import org.loggregator.config.HostPort;
import org.loggregator.protocol.RendezvousShard;

class DopplerRoutesTest {

  private static final List<HostPort> ZONE =
      List.of(
          new HostPort("10.0.0.5", 3458),
          new HostPort("10.0.0.6", 3458),
          new HostPort("10.0.0.7", 3458));

  @Test
  void shouldPickTheSameOwnerAsTheControllersWhenRoutingByAppId() {
    DopplerRoutes routes = DopplerRoutes.toDopplers(ZONE);
    // A controller shards over DopplerAddress.shardKey(), the UDP address as text.
    List<DopplerAddress> asConfigured =
        ZONE.stream()
            .map(
                hp ->
                    new DopplerAddress(
                        "z1", hp, java.net.URI.create("http://" + hp.host() + ":8080/doppler")))
            .toList();
    RendezvousShard<DopplerAddress> controllerShard =
        new RendezvousShard<>(asConfigured, DopplerAddress::shardKey);
    for (int i = 0; i < 2000; i++) {
      String appId = "app-" + i;
      byte[] utf8 = appId.getBytes(StandardCharsets.UTF_8);
      HostPort expected = controllerShard.owner(appId).udp();
      assertEquals(expected, routes.target(routes.destinationOf(utf8, 0, utf8.length)), appId);
      assertEquals(expected, routes.target(routes.destinationOf(appId)), appId);
    }
  }

  @Test
  void shouldSpreadAppsOverEveryDopplerWhenThereAreMany() {
    DopplerRoutes routes = DopplerRoutes.toDopplers(ZONE);
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < 3000; i++) {
      counts.merge(routes.destinationOf("app-" + i), 1, Integer::sum);
    }
    assertEquals(3, counts.size());
    assertTrue(counts.values().stream().allMatch(n -> n > 700), counts.toString());
  }

  @Test
  void shouldAnswerAnyDopplerWhenTheEnvelopeHasNoAppId() {
    DopplerRoutes routes = DopplerRoutes.toDopplers(ZONE);
    assertEquals(ManyToOneEnvelopeRing.ANY_DESTINATION, routes.destinationOf(null, -1, 0));
    assertEquals(ManyToOneEnvelopeRing.ANY_DESTINATION, routes.destinationOf(""));
  }

  @Test
  void shouldSendEverythingToTheControllerWhenOneIsConfigured() {
    DopplerRoutes routes = DopplerRoutes.toController(new HostPort("10.0.1.1", 3456));
    assertEquals(0, routes.destinationOf("some-app"));
    assertEquals(0, routes.destinationOf(null, -1, 0));
    assertEquals(1, routes.size());
    assertTrue(routes.viaController());
  }

  @Test
  void shouldKeepOwnersWhenTheDopplerListIsReordered() {
    DopplerRoutes a = DopplerRoutes.toDopplers(ZONE);
    DopplerRoutes b = DopplerRoutes.toDopplers(List.of(ZONE.get(2), ZONE.get(0), ZONE.get(1)));
    for (int i = 0; i < 500; i++) {
      String app = "app-" + i;
      assertEquals(a.target(a.destinationOf(app)), b.target(b.destinationOf(app)));
    }
  }
}
