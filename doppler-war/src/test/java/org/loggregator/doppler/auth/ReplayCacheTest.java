package org.loggregator.doppler.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.loggregator.doppler.auth.ReplayCache.Outcome;

class ReplayCacheTest {
  private static final long NOW = 1_700_000_000L;

  @Test
  void shouldRememberAKeyWhenItIsFirstUsed() {
    ReplayCache cache = new ReplayCache(10);
    assertFalse(cache.seen("k", NOW));

    assertEquals(Outcome.FIRST, cache.remember("k", NOW + 60, NOW));

    assertTrue(cache.seen("k", NOW));
    assertEquals(1, cache.size());
  }

  @Test
  void shouldSayReplayWhenAKeyIsUsedAgainWhileValid() {
    ReplayCache cache = new ReplayCache(10);
    cache.remember("k", NOW + 60, NOW);

    assertEquals(Outcome.SEEN, cache.remember("k", NOW + 60, NOW + 1));
    assertEquals(Outcome.SEEN, cache.remember("k", NOW + 60, NOW + 60), "valid to its last second");
    assertEquals(
        Outcome.SEEN, cache.remember("k", NOW + 999, NOW + 30), "whatever expiry is asked");
    assertEquals(1, cache.size());
  }

  @Test
  void shouldTakeAKeyAgainWhenItsEntryHasExpired() {
    ReplayCache cache = new ReplayCache(10);
    cache.remember("k", NOW + 60, NOW);

    assertFalse(cache.seen("k", NOW + 61));
    assertEquals(Outcome.FIRST, cache.remember("k", NOW + 121, NOW + 61));
    assertEquals(Outcome.SEEN, cache.remember("k", NOW + 121, NOW + 62));
  }

  @Test
  void shouldRefuseNewKeysButKeepKnowingOldOnesWhenFullOfValidEntries() {
    ReplayCache cache = new ReplayCache(3);
    for (String key : List.of("a", "b", "c")) {
      assertEquals(Outcome.FIRST, cache.remember(key, NOW + 60, NOW));
    }

    assertEquals(Outcome.FULL, cache.remember("d", NOW + 60, NOW + 1));
    assertFalse(cache.seen("d", NOW + 1), "a refused key is not remembered");
    assertEquals(Outcome.SEEN, cache.remember("a", NOW + 60, NOW + 1), "nothing was forgotten");
    assertEquals(3, cache.size());
  }

  @Test
  void shouldMakeRoomWhenEntriesOfAFullCacheHaveExpired() {
    ReplayCache cache = new ReplayCache(3);
    cache.remember("a", NOW + 10, NOW);
    cache.remember("b", NOW + 60, NOW);
    cache.remember("c", NOW + 20, NOW);

    assertEquals(Outcome.FULL, cache.remember("d", NOW + 70, NOW + 10), "a is valid until +10");
    assertEquals(Outcome.FIRST, cache.remember("d", NOW + 71, NOW + 11));
    assertEquals(3, cache.size());
    assertEquals(Outcome.FULL, cache.remember("e", NOW + 71, NOW + 11));
    assertEquals(Outcome.FIRST, cache.remember("e", NOW + 80, NOW + 21));
    assertTrue(cache.seen("b", NOW + 21));
    assertFalse(cache.seen("a", NOW + 21));
    assertFalse(cache.seen("c", NOW + 21));
  }

  @Test
  void shouldConsumeNothingWhenAskedWhetherAKeyWasSeen() {
    ReplayCache cache = new ReplayCache(1);
    for (int i = 0; i < 5; i++) {
      assertFalse(cache.seen("k", NOW));
    }
    assertEquals(0, cache.size());
    assertEquals(Outcome.FIRST, cache.remember("k", NOW + 60, NOW));
    for (int i = 0; i < 5; i++) {
      assertTrue(cache.seen("k", NOW));
    }
    assertEquals(Outcome.SEEN, cache.remember("k", NOW + 60, NOW));
  }

  @Test
  void shouldGiveExactlyOneFirstWhenManyThreadsRememberOneKeyAtOnce() throws Exception {
    for (int round = 0; round < 20; round++) {
      ReplayCache cache = new ReplayCache(100);
      int threads = 16;
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Outcome>> outcomes = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          outcomes.add(
              pool.submit(
                  () -> {
                    start.await();
                    return cache.remember("same", NOW + 60, NOW);
                  }));
        }
        start.countDown();
        int first = 0;
        int seen = 0;
        for (Future<Outcome> f : outcomes) {
          Outcome outcome = f.get(30, TimeUnit.SECONDS);
          first += outcome == Outcome.FIRST ? 1 : 0;
          seen += outcome == Outcome.SEEN ? 1 : 0;
        }
        assertEquals(1, first, "round " + round);
        assertEquals(threads - 1, seen, "round " + round);
        assertEquals(1, cache.size());
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
