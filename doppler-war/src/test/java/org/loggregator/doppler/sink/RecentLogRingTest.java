package org.loggregator.doppler.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.loggregator.metrics.Counter;

class RecentLogRingTest {

  /** A ring bounded by its count alone. */
  private static RecentLogRing countOnly(int capacity) {
    return new RecentLogRing(
        capacity,
        new RecentLogBudget(RecentLogBudget.UNLIMITED, RecentLogBudget.UNLIMITED, Counter.local()));
  }

  private static byte[] envelope(int n) {
    return ("envelope " + n).getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<byte[]> envelopes) {
    return envelopes.stream().map(e -> new String(e, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void shouldKeepTheLastNOldestFirstWhenMoreThanNWereAppended() {
    RecentLogRing ring = countOnly(3);
    for (int i = 0; i < 7; i++) {
      ring.append(envelope(i));
    }

    assertEquals(List.of("envelope 4", "envelope 5", "envelope 6"), texts(ring.snapshot()));
    assertEquals(3, ring.size());
    assertEquals(3, ring.capacity());
  }

  @Test
  void shouldKeepEverythingInOrderWhenFewerThanNWereAppended() {
    RecentLogRing ring = countOnly(5);
    ring.append(envelope(0));
    ring.append(envelope(1));

    assertEquals(List.of("envelope 0", "envelope 1"), texts(ring.snapshot()));
    assertEquals(2, ring.size());
  }

  @Test
  void shouldBeEmptyWhenNothingWasAppended() {
    RecentLogRing ring = countOnly(4);

    assertTrue(ring.snapshot().isEmpty());
    assertEquals(0, ring.size());
  }

  @Test
  void shouldKeepOnlyTheLatestWhenCapacityIsOne() {
    RecentLogRing ring = countOnly(1);
    for (int i = 0; i < 5; i++) {
      ring.append(envelope(i));
      assertEquals(List.of("envelope " + i), texts(ring.snapshot()));
    }
  }

  @Test
  void shouldKeepTheSameArrayWhenAppendedWithoutCopying() {
    RecentLogRing ring = countOnly(2);
    byte[] envelope = envelope(1);
    ring.append(envelope);

    assertTrue(ring.snapshot().get(0) == envelope);
  }

  @Test
  void shouldNotChangeASnapshotWhenAppendedToAfterwards() {
    RecentLogRing ring = countOnly(2);
    ring.append(envelope(0));
    ring.append(envelope(1));
    List<byte[]> snapshot = ring.snapshot();

    ring.append(envelope(2));

    assertEquals(List.of("envelope 0", "envelope 1"), texts(snapshot));
  }

  @Test
  void shouldRefuseWhenCapacityIsBelowOne() {
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> countOnly(0));
    assertTrue(zero.getMessage().contains("at least 1"), zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> countOnly(-1));
  }

  // ---- byte budgets

  private final Counter appBudgetEvictions = Counter.local();

  private static byte[] sized(int n, int length) {
    byte[] envelope = new byte[length];
    envelope[0] = (byte) n;
    return envelope;
  }

  private static List<Integer> ids(RecentLogRing ring) {
    return ring.snapshot().stream().map(e -> (int) e[0]).toList();
  }

  @Test
  void shouldEvictTheOldestUntilTheNewOneFitsWhenTheAppsBytesAreFull() {
    RecentLogBudget budget = new RecentLogBudget(1_000, 1_000_000, appBudgetEvictions);
    RecentLogRing ring = new RecentLogRing(100, budget);
    for (int i = 0; i < 3; i++) {
      ring.append(sized(i, 300));
    }

    ring.append(sized(3, 500)); // 900 + 500: the two oldest go

    assertEquals(List.of(2, 3), ids(ring));
    assertEquals(800, ring.bytes());
    assertEquals(800, budget.used());
    assertEquals(2, appBudgetEvictions.count());
  }

  @Test
  void shouldBoundByCountWithoutCountingWhenTheEnvelopesAreSmall() {
    RecentLogBudget budget = new RecentLogBudget(1_000_000, 1_000_000, appBudgetEvictions);
    RecentLogRing ring = new RecentLogRing(3, budget);
    for (int i = 0; i < 7; i++) {
      ring.append(sized(i, 10));
    }

    assertEquals(List.of(4, 5, 6), ids(ring));
    assertEquals(30, budget.used());
    assertEquals(0, appBudgetEvictions.count(), "a ring turning over is not an eviction");
  }

  @Test
  void shouldCountOnlyTheEvictionsBeyondTheCountWhenBothBoundsAreFull() {
    RecentLogBudget budget = new RecentLogBudget(1_000, 1_000_000, appBudgetEvictions);
    RecentLogRing ring = new RecentLogRing(3, budget);
    for (int i = 0; i < 3; i++) {
      ring.append(sized(i, 300));
    }

    ring.append(sized(3, 800)); // the count pushes out 0; the bytes then 1 and 2

    assertEquals(List.of(3), ids(ring));
    assertEquals(2, appBudgetEvictions.count());
  }

  @Test
  void shouldKeepAnEnvelopeLargerThanTheAppsBudgetAloneWhenAppended() {
    RecentLogBudget budget = new RecentLogBudget(1_000, 1_000_000, appBudgetEvictions);
    RecentLogRing ring = new RecentLogRing(10, budget);
    ring.append(sized(0, 100));
    ring.append(sized(1, 100));

    assertTrue(ring.append(sized(2, 5_000)));

    assertEquals(List.of(2), ids(ring), "the app's latest line, alone");
    assertEquals(5_000, budget.used());

    ring.append(sized(3, 100));

    assertEquals(List.of(3), ids(ring));
    assertEquals(100, budget.used());
    assertEquals(3, appBudgetEvictions.count());
  }

  @Test
  void shouldEvictTheOldestForTheTotalWithoutCountingItAsTheAppsWhenAsked() {
    RecentLogBudget budget = new RecentLogBudget(10_000, 10_000, appBudgetEvictions);
    RecentLogRing ring = new RecentLogRing(10, budget);
    for (int i = 0; i < 5; i++) {
      ring.append(sized(i, 100));
    }

    assertEquals(2, ring.evictOldest(150, 0));
    assertEquals(List.of(2, 3, 4), ids(ring));
    assertEquals(300, budget.used());
    assertEquals(2, ring.evictOldest(10_000, 1), "keeps as many as asked");
    assertEquals(List.of(4), ids(ring));
    assertEquals(0, ring.evictOldest(10_000, 1));
    assertEquals(100, budget.used());
    assertEquals(0, appBudgetEvictions.count(), "the caller counts these");
  }

  @Test
  void shouldGiveBackItsBytesAndRefuseAppendsWhenClosed() {
    RecentLogBudget budget = new RecentLogBudget(10_000, 10_000, appBudgetEvictions);
    RecentLogRing ring = new RecentLogRing(10, budget);
    RecentLogRing other = new RecentLogRing(10, budget);
    ring.append(sized(0, 100));
    ring.append(sized(1, 200));
    other.append(sized(2, 50));

    ring.close();

    assertEquals(50, budget.used());
    assertTrue(ring.isClosed());
    assertFalse(ring.append(sized(3, 100)), "nothing unreachable enters the account");
    assertEquals(0, ring.size());
    assertEquals(50, budget.used());
    ring.close();
    assertEquals(50, budget.used(), "closing twice gives back nothing more");
  }

  @Test
  void shouldKeepTheTotalExactlyTheSumOfTheRingsWhenManyThreadsAppendEvictAndClose()
      throws Exception {
    RecentLogBudget budget = new RecentLogBudget(20_000, Long.MAX_VALUE, appBudgetEvictions);
    List<RecentLogRing> rings = new ArrayList<>();
    for (int r = 0; r < 8; r++) {
      rings.add(new RecentLogRing(50, budget));
    }
    int threads = 8;
    int perThread = 20_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      Thread worker =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  RecentLogRing ring = rings.get((seed + i) % rings.size());
                  if (i % 97 == 0) {
                    ring.evictOldest(1_000, 1);
                  } else {
                    ring.append(new byte[1 + (seed * 131 + i * 7) % 1_500]);
                  }
                }
              });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }

    long sum = 0;
    for (RecentLogRing ring : rings) {
      long held = ring.snapshot().stream().mapToLong(e -> e.length).sum();
      assertEquals(held, ring.bytes());
      assertTrue(held <= 20_000, held + " bytes in one ring");
      sum += held;
    }
    assertEquals(sum, budget.used());
    for (RecentLogRing ring : rings) {
      ring.close();
    }
    assertEquals(0, budget.used());
  }
}
