package org.loggregator.agent.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  @Test
  void shouldSendQueuedEnvelopesToTheNewOwnerWhenANameGainsAnAddress() throws Exception {
    java.util.concurrent.atomic.AtomicReference<String[]> answer =
        new java.util.concurrent.atomic.AtomicReference<>(new String[] {"10.0.0.5"});
    org.loggregator.membership.NameResolver dns =
        host -> {
          String[] ips = answer.get();
          java.net.InetAddress[] out = new java.net.InetAddress[ips.length];
          for (int i = 0; i < ips.length; i++) {
            out[i] =
                java.net.InetAddress.getByAddress(
                    host, java.net.InetAddress.getByName(ips[i]).getAddress());
          }
          return out;
        };
    DopplerRoutes routes =
        DopplerRoutes.toDopplers(List.of(new HostPort("dopplers.z1", 3458)), dns);
    assertTrue(routes.hasNames());
    assertEquals(1, routes.size());
    String[] apps = new String[200];
    int[] before = new int[apps.length];
    for (int i = 0; i < apps.length; i++) {
      apps[i] = "app-" + i;
      before[i] = routes.destinationOf(apps[i]);
    }

    answer.set(new String[] {"10.0.0.6", "10.0.0.5"});
    assertTrue(routes.refresh());
    assertFalse(routes.refresh());

    DopplerRoutes reference = DopplerRoutes.toDopplers(ZONE.subList(0, 2));
    DopplerRoutes.Snapshot now = routes.snapshot();
    int moved = 0;
    for (int i = 0; i < apps.length; i++) {
      byte[] utf8 = apps[i].getBytes(StandardCharsets.UTF_8);
      long appKey = TransitNumbering.appKey(utf8, 0, utf8.length);
      int index = now.indexOf(before[i], appKey);
      HostPort owner =
          now.socketAddresses()[index].getHostString().equals("10.0.0.5")
              ? ZONE.get(0)
              : ZONE.get(1);
      // The same owner as a routes object built with the two addresses from the start.
      assertEquals(reference.target(reference.destinationOf(apps[i])), owner, apps[i]);
      assertEquals(index, now.indexOf(routes.destinationOf(apps[i]), appKey));
      moved += owner.equals(ZONE.get(1)) ? 1 : 0;
    }
    assertTrue(moved > 50 && moved < 150, "apps that moved to the new doppler: " + moved);
  }
}
