package org.loggregator.doppler.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentLogRingTest {

  private static byte[] envelope(int n) {
    return ("envelope " + n).getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<byte[]> envelopes) {
    return envelopes.stream().map(e -> new String(e, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void shouldKeepTheLastNOldestFirstWhenMoreThanNWereAppended() {
    RecentLogRing ring = new RecentLogRing(3);
    for (int i = 0; i < 7; i++) {
      ring.append(envelope(i));
    }

    assertEquals(List.of("envelope 4", "envelope 5", "envelope 6"), texts(ring.snapshot()));
    assertEquals(3, ring.size());
    assertEquals(3, ring.capacity());
  }

  @Test
  void shouldKeepEverythingInOrderWhenFewerThanNWereAppended() {
    RecentLogRing ring = new RecentLogRing(5);
    ring.append(envelope(0));
    ring.append(envelope(1));

    assertEquals(List.of("envelope 0", "envelope 1"), texts(ring.snapshot()));
    assertEquals(2, ring.size());
  }

  @Test
  void shouldBeEmptyWhenNothingWasAppended() {
    RecentLogRing ring = new RecentLogRing(4);

    assertTrue(ring.snapshot().isEmpty());
    assertEquals(0, ring.size());
  }

  @Test
  void shouldKeepOnlyTheLatestWhenCapacityIsOne() {
    RecentLogRing ring = new RecentLogRing(1);
    for (int i = 0; i < 5; i++) {
      ring.append(envelope(i));
      assertEquals(List.of("envelope " + i), texts(ring.snapshot()));
    }
  }

  @Test
  void shouldKeepTheSameArrayWhenAppendedWithoutCopying() {
    RecentLogRing ring = new RecentLogRing(2);
    byte[] envelope = envelope(1);
    ring.append(envelope);

    assertTrue(ring.snapshot().get(0) == envelope);
  }

  @Test
  void shouldNotChangeASnapshotWhenAppendedToAfterwards() {
    RecentLogRing ring = new RecentLogRing(2);
    ring.append(envelope(0));
    ring.append(envelope(1));
    List<byte[]> snapshot = ring.snapshot();

    ring.append(envelope(2));

    assertEquals(List.of("envelope 0", "envelope 1"), texts(snapshot));
  }

  @Test
  void shouldRefuseWhenCapacityIsBelowOne() {
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> new RecentLogRing(0));
    assertTrue(zero.getMessage().contains("at least 1"), zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RecentLogRing(-1));
  }
}
