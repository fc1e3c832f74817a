package org.loggregator.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RendezvousShardTest {

  private static final List<String> FOUR =
      List.of("10.0.0.1:3458", "10.0.0.2:3458", "10.0.0.3:3458", "10.0.0.4:3458");

  private static List<String> appIds(int count) {
    Random random = new Random(11);
    List<String> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(AppIds.uuidText(random.nextLong(), random.nextLong()));
    }
    return ids;
  }

  private static RendezvousShard<String> shard(List<String> nodes) {
    return new RendezvousShard<>(nodes, Function.identity());
  }

  private static Map<String, String> owners(RendezvousShard<String> shard, List<String> appIds) {
    Map<String, String> owners = new HashMap<>();
    for (String appId : appIds) {
      owners.put(appId, shard.owner(appId));
    }
    return owners;
  }

  @Test
  void shouldPickTheSameOwnerWhenAskedAgainOrByAnotherInstance() {
    List<String> apps = appIds(1_000);
    assertEquals(owners(shard(FOUR), apps), owners(shard(FOUR), apps));
    RendezvousShard<String> shard = shard(FOUR);
    for (String app : apps) {
      assertSame(shard.owner(app), shard.owner(app));
    }
  }

  @Test
  void shouldPickTheSameOwnerWhenNodeListOrderDiffers() {
    List<String> apps = appIds(2_000);
    Map<String, String> expected = owners(shard(FOUR), apps);
    Random random = new Random(5);
    for (int i = 0; i < 10; i++) {
      List<String> shuffled = new ArrayList<>(FOUR);
      Collections.shuffle(shuffled, random);
      assertEquals(expected, owners(shard(shuffled), apps));
    }
  }

  @Test
  void shouldKeepOwnersStableAcrossReleasesWhenNodeKeysAreKnown() {
    // Agents on different hosts and versions must agree; pinned to catch a change of hash.
    RendezvousShard<String> shard = shard(FOUR);
    assertEquals(PINNED, owners(shard, List.copyOf(PINNED.keySet())));
  }

  private static final Map<String, String> PINNED =
      Map.of(
          "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab", "10.0.0.3:3458",
          "01000000-0000-0000-0200-000000000000", "10.0.0.2:3458",
          "app", "10.0.0.4:3458",
          "", "10.0.0.4:3458");

  @Test
  void shouldHashWithFnv1aThenMixWhenHashingKeys() {
    // Published FNV-1a 64 values of "" and "a", through the documented finaliser.
    assertEquals(RendezvousShard.mix(0xcbf29ce484222325L), RendezvousShard.hash(""));
    assertEquals(RendezvousShard.mix(0xaf63dc4c8601ec8cL), RendezvousShard.hash("a"));
    assertEquals(0, RendezvousShard.mix(0));
  }

  @Test
  void shouldSpreadAppsEvenlyWhenThereAreFourNodes() {
    RendezvousShard<String> shard = shard(FOUR);
    Map<String, Integer> counts = new HashMap<>();
    for (String app : appIds(10_000)) {
      counts.merge(shard.owner(app), 1, Integer::sum);
    }
    assertEquals(4, counts.size());
    for (Map.Entry<String, Integer> count : counts.entrySet()) {
      assertTrue(
          count.getValue() >= 2_125 && count.getValue() <= 2_875,
          count.getKey() + " owns " + count.getValue() + " of 10,000");
    }
  }

  @Test
  void shouldMoveAppsOnlyToTheNewNodeWhenANodeIsAdded() {
    List<String> apps = appIds(10_000);
    Map<String, String> before = owners(shard(FOUR), apps);
    List<String> five = new ArrayList<>(FOUR);
    five.add("10.0.0.5:3458");
    Map<String, String> after = owners(shard(five), apps);
    int moved = 0;
    for (String app : apps) {
      if (!before.get(app).equals(after.get(app))) {
        moved++;
        assertEquals("10.0.0.5:3458", after.get(app), app);
      }
    }
    assertTrue(moved >= 1_700 && moved <= 2_300, moved + " of 10,000 moved, expected about 2,000");
  }

  @Test
  void shouldMoveOnlyTheRemovedNodesAppsWhenANodeIsRemoved() {
    List<String> apps = appIds(10_000);
    Map<String, String> before = owners(shard(FOUR), apps);
    String removed = FOUR.get(2);
    List<String> three = new ArrayList<>(FOUR);
    three.remove(removed);
    Map<String, String> after = owners(shard(three), apps);
    int moved = 0;
    for (String app : apps) {
      if (before.get(app).equals(removed)) {
        moved++;
        assertTrue(three.contains(after.get(app)));
      } else {
        assertEquals(before.get(app), after.get(app), app);
      }
    }
    assertTrue(moved > 2_000);
  }

  @Test
  void shouldPickTheSameOwnerWhenTheAppIdIsGivenAsUtf8Bytes() {
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      nodes.add("doppler-" + i);
    }
    RendezvousShard<String> shard = shard(nodes);
    Random random = new Random(9);
    List<String> ids = new ArrayList<>(appIds(500));
    ids.addAll(List.of("", "é", "日本", "\uD83D\uDE00", "a\uD800b", "\uDC00", "x\uD83D"));
    for (int i = 0; i < 2_000; i++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(12);
      for (int c = 0; c < length; c++) {
        s.append((char) random.nextInt(0x10000)); // includes lone surrogates
      }
      ids.add(s.toString());
    }
    for (String id : ids) {
      byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
      byte[] padded = new byte[utf8.length + 4];
      System.arraycopy(utf8, 0, padded, 2, utf8.length);
      assertEquals(RendezvousShard.hash(id), RendezvousShard.hash(padded, 2, utf8.length), id);
      assertSame(shard.owner(id), shard.owner(padded, 2, utf8.length));
    }
  }

  @Test
  void shouldOwnEverythingWhenThereIsOneNode() {
    RendezvousShard<String> shard = shard(List.of("only"));
    for (String app : appIds(100)) {
      assertEquals("only", shard.owner(app));
    }
  }

  @Test
  void shouldRefuseTheNodeListWhenItIsEmptyOrHasDuplicateKeys() {
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> shard(List.of()));
    assertTrue(empty.getMessage().contains("empty"));
    IllegalArgumentException duplicate =
        assertThrows(IllegalArgumentException.class, () -> shard(List.of("a:1", "b:2", "a:1")));
    assertTrue(duplicate.getMessage().contains("a:1"));
  }

  @Test
  void shouldListNodesInKeyOrderWhenAsked() {
    record Node(String host, int port) {}
    List<Node> nodes = List.of(new Node("10.0.0.2", 3458), new Node("10.0.0.1", 3458));
    RendezvousShard<Node> shard = new RendezvousShard<>(nodes, n -> n.host() + ":" + n.port());
    assertEquals(List.of(nodes.get(1), nodes.get(0)), shard.nodes());
  }
}
