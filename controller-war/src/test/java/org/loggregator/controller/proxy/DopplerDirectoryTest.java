package org.loggregator.controller.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.loggregator.config.DopplerAddress;
import org.loggregator.protocol.RendezvousShard;

class DopplerDirectoryTest {
  private static final List<DopplerAddress> Z1 =
      List.of(
          FakeUpstreamConnector.doppler("z1", 3458),
          FakeUpstreamConnector.doppler("z1", 3459),
          FakeUpstreamConnector.doppler("z1", 3460));
  private static final List<DopplerAddress> Z2 =
      List.of(FakeUpstreamConnector.doppler("z2", 4458), FakeUpstreamConnector.doppler("z2", 4459));
  private static final List<DopplerAddress> Z3 = List.of(FakeUpstreamConnector.doppler("z3", 5458));

  /** The dopplers as configuration lists them, zones interleaved. */
  private static final List<DopplerAddress> ALL =
      List.of(Z1.get(0), Z2.get(0), Z1.get(1), Z3.get(0), Z2.get(1), Z1.get(2));

  private static List<String> appIds(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(java.util.UUID.nameUUIDFromBytes(("app " + i).getBytes()).toString());
    }
    return ids;
  }

  @Test
  void shouldNameOneOwnerPerZoneInTheOrderZonesAreFirstListed() {
    DopplerDirectory directory = new DopplerDirectory(ALL);

    for (String appId : appIds(50)) {
      List<DopplerAddress> owners = directory.ownersOf(appId);

      assertEquals(List.of("z1", "z2", "z3"), owners.stream().map(DopplerAddress::zone).toList());
    }
  }

  @Test
  void shouldPickTheRendezvousOwnerAmongThatZonesDopplersWhenAskedForAnApp() {
    DopplerDirectory directory = new DopplerDirectory(ALL);
    RendezvousShard<DopplerAddress> z1 = new RendezvousShard<>(Z1, DopplerAddress::shardKey);
    RendezvousShard<DopplerAddress> z2 = new RendezvousShard<>(Z2, DopplerAddress::shardKey);

    for (String appId : appIds(200)) {
      assertEquals(List.of(z1.owner(appId), z2.owner(appId), Z3.get(0)), directory.ownersOf(appId));
    }
  }

  @Test
  void shouldGiveTheSameOwnersWhenAskedAgainOrBuiltFromAnotherOrder() {
    DopplerDirectory directory = new DopplerDirectory(ALL);
    List<DopplerAddress> shuffled = new ArrayList<>(ALL);
    Collections.shuffle(shuffled, new Random(7));
    // Keep the zone order the same, so only the order within each zone changes.
    shuffled.sort(java.util.Comparator.comparing(DopplerAddress::zone));
    DopplerDirectory rebuilt = new DopplerDirectory(shuffled);

    for (String appId : appIds(200)) {
      List<DopplerAddress> owners = directory.ownersOf(appId);
      assertEquals(owners, directory.ownersOf(appId));
      assertEquals(owners, rebuilt.ownersOf(appId));
    }
  }

  @Test
  void shouldSpreadAppsOverEveryDopplerOfAZoneWhenThereAreMany() {
    DopplerDirectory directory = new DopplerDirectory(ALL);
    Set<DopplerAddress> z1Owners = new HashSet<>();
    Set<DopplerAddress> z2Owners = new HashSet<>();

    for (String appId : appIds(200)) {
      z1Owners.add(directory.ownersOf(appId).get(0));
      z2Owners.add(directory.ownersOf(appId).get(1));
    }

    assertEquals(Set.copyOf(Z1), z1Owners);
    assertEquals(Set.copyOf(Z2), z2Owners);
  }

  @Test
  void shouldListEveryDopplerOfEveryZoneAsConfiguredWhenAskedForAll() {
    DopplerDirectory directory = new DopplerDirectory(ALL);

    assertEquals(ALL, directory.all());
  }
}
