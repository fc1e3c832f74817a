package org.loggregator.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionCapsTest {
  private static final Route STREAM = Route.webSocket("/apps/{appId}/stream", Credential.APP_LOGS);
  private static final Route TAIL =
      Route.webSocket("/tail/", Credential.APP_LOGS).idFromQuery("app");
  private static final Route FIREHOSE =
      Route.webSocket("/firehose/{subscriptionId}", Credential.FIREHOSE);
  private static final Route SIGNED =
      Route.webSocket("/apps/{appId}/stream", Credential.CONTROLLER_SIGNATURE);

  @Test
  void shouldRefuseASlotWhenTheTotalCapIsReached() {
    SessionCaps caps = new SessionCaps(3, 10, 10);
    assertNotNull(caps.tryAcquire(STREAM, "a"));
    assertNotNull(caps.tryAcquire(FIREHOSE, "s"));
    assertNotNull(caps.tryAcquire(SIGNED, "b"));
    assertEquals(3, caps.open());

    assertFalse(caps.wouldAdmit(STREAM, "c"));
    assertNull(caps.tryAcquire(STREAM, "c"));
    assertNull(caps.tryAcquire(SIGNED, "c"));
    assertEquals(3, caps.open(), "a refused acquire leaves nothing taken");
  }

  @Test
  void shouldGiveASlotAgainWhenOneIsReleasedUnderTheTotalCap() {
    SessionCaps caps = new SessionCaps(1, 10, 10);
    SessionCaps.Slot slot = caps.tryAcquire(STREAM, "a");
    assertNull(caps.tryAcquire(STREAM, "b"));

    slot.release();

    assertTrue(caps.wouldAdmit(STREAM, "b"));
    assertNotNull(caps.tryAcquire(STREAM, "b"));
  }

  @Test
  void shouldRefuseASlotWhenTheAppIsAtItsCapAcrossItsRoutes() {
    SessionCaps caps = new SessionCaps(100, 2, 10);
    assertNotNull(caps.tryAcquire(STREAM, "a"));
    assertNotNull(caps.tryAcquire(TAIL, "a"));

    assertFalse(caps.wouldAdmit(STREAM, "a"));
    assertNull(caps.tryAcquire(STREAM, "a"));
    assertNull(caps.tryAcquire(TAIL, "a"));
    assertEquals(2, caps.open());
  }

  @Test
  void shouldAdmitOtherAppsWhenOneAppIsAtItsCap() {
    SessionCaps caps = new SessionCaps(100, 1, 1);
    assertNotNull(caps.tryAcquire(STREAM, "a"));
    assertNull(caps.tryAcquire(STREAM, "a"));

    assertTrue(caps.wouldAdmit(STREAM, "b"));
    assertNotNull(caps.tryAcquire(STREAM, "b"));
    assertTrue(caps.wouldAdmit(FIREHOSE, "a"), "a subscription is not an app of the same id");
    assertNotNull(caps.tryAcquire(FIREHOSE, "a"));
    assertEquals(3, caps.open());
  }

  @Test
  void shouldRefuseASlotWhenTheSubscriptionIsAtItsCap() {
    SessionCaps caps = new SessionCaps(100, 1, 3);
    for (int i = 0; i < 3; i++) {
      assertNotNull(caps.tryAcquire(FIREHOSE, "s"), "the subscription cap, not the app cap");
    }
    assertFalse(caps.wouldAdmit(FIREHOSE, "s"));
    assertNull(caps.tryAcquire(FIREHOSE, "s"));
    assertNotNull(caps.tryAcquire(FIREHOSE, "t"));
    assertNotNull(caps.tryAcquire(STREAM, "s"));
  }

  @Test
  void shouldApplyOnlyTheTotalCapWhenTheRouteServesNoAppOrSubscription() {
    SessionCaps caps = new SessionCaps(3, 1, 1);
    for (int i = 0; i < 3; i++) {
      assertTrue(caps.wouldAdmit(SIGNED, "a"));
      assertNotNull(caps.tryAcquire(SIGNED, "a"));
    }
    assertNull(caps.tryAcquire(SIGNED, "a"));
  }

  @Test
  void shouldGiveBackOnlyOnceWhenASlotIsReleasedTwice() {
    SessionCaps caps = new SessionCaps(10, 2, 10);
    SessionCaps.Slot first = caps.tryAcquire(STREAM, "a");
    SessionCaps.Slot second = caps.tryAcquire(STREAM, "a");
    assertEquals(2, caps.open());

    first.release();
    first.release();
    first.release();

    assertEquals(1, caps.open());
    assertNotNull(caps.tryAcquire(STREAM, "a"));
    assertNull(caps.tryAcquire(STREAM, "a"), "the double release did not free a second place");
    second.release();
    second.release();
    assertEquals(1, caps.open());
  }

  @Test
  void shouldAgreeWithTryAcquireWhenAskedWhetherItWouldAdmit() {
    SessionCaps caps = new SessionCaps(5, 2, 3);
    List<Route> routes = List.of(STREAM, TAIL, FIREHOSE, SIGNED);
    List<String> ids = List.of("a", "b");
    List<SessionCaps.Slot> held = new ArrayList<>();
    for (int round = 0; round < 40; round++) {
      Route route = routes.get(round % routes.size());
      String id = ids.get((round / 3) % ids.size());
      boolean would = caps.wouldAdmit(route, id);
      SessionCaps.Slot slot = caps.tryAcquire(route, id);
      assertEquals(would, slot != null, "round " + round);
      if (slot != null) {
        held.add(slot);
      }
      if (round % 7 == 6 && !held.isEmpty()) {
        held.remove(0).release();
      }
    }
  }

  @Test
  void shouldNeverExceedACapAndEndWithNoneOpenWhenManyThreadsAcquireAndRelease() throws Exception {
    int total = 20;
    int perApp = 3;
    int perSubscription = 4;
    SessionCaps caps = new SessionCaps(total, perApp, perSubscription);
    List<String> ids = List.of("a", "b", "c", "d", "e", "f", "g", "h");
    AtomicInteger held = new AtomicInteger();
    AtomicInteger maxHeld = new AtomicInteger();
    ConcurrentHashMap<String, AtomicInteger> heldPerKey = new ConcurrentHashMap<>();
    ConcurrentHashMap<String, Integer> maxPerKey = new ConcurrentHashMap<>();
    AtomicInteger acquired = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    int threads = 16;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < 5_000; i++) {
                    boolean firehose = (i + seed) % 3 == 0;
                    Route route = firehose ? FIREHOSE : ((i & 1) == 0 ? STREAM : TAIL);
                    String id = ids.get((i * 31 + seed * 7) % ids.size());
                    String key = (firehose ? "firehose " : "app ") + id;
                    SessionCaps.Slot slot = caps.tryAcquire(route, id);
                    if (slot == null) {
                      refused.incrementAndGet();
                      continue;
                    }
                    acquired.incrementAndGet();
                    int now = held.incrementAndGet();
                    maxHeld.accumulateAndGet(now, Math::max);
                    int forKey =
                        heldPerKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    maxPerKey.merge(key, forKey, Math::max);
                    Thread.yield();
                    heldPerKey.get(key).decrementAndGet();
                    held.decrementAndGet();
                    slot.release();
                    if (i % 5 == 0) {
                      slot.release(); // a second release must give back nothing
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertTrue(maxHeld.get() <= total, "held at once: " + maxHeld.get());
    maxPerKey.forEach(
        (key, max) ->
            assertTrue(
                max <= (key.startsWith("firehose") ? perSubscription : perApp),
                key + " held at once: " + max));
    assertTrue(acquired.get() > 0);
    assertEquals(threads * 5_000, acquired.get() + refused.get());
    assertEquals(0, caps.open());
    for (String id : ids) {
      List<SessionCaps.Slot> again = new ArrayList<>();
      for (int i = 0; i < perApp; i++) {
        again.add(caps.tryAcquire(STREAM, id));
      }
      assertTrue(again.stream().allMatch(s -> s != null), "nothing of app " + id + " is held");
      again.forEach(SessionCaps.Slot::release);
    }
  }
}
