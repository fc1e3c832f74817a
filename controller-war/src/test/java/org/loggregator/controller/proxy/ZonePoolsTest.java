package org.loggregator.controller.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ZonePoolsTest {
  private final ZonePools pools =
      new ZonePools(List.of("z1", "z2"), Executors.defaultThreadFactory());

  @AfterEach
  void stop() {
    for (ExecutorService pool : pools.all()) {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldRunAZonesWorkWhileEveryThreadOfAnotherZoneIsHeld() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch held = new CountDownLatch(ZonePools.THREADS_PER_ZONE);
    for (int i = 0; i < ZonePools.THREADS_PER_ZONE * 3; i++) {
      pools
          .of("z2")
          .execute(
              () -> {
                held.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
    }
    assertTrue(held.await(30, TimeUnit.SECONDS), "every thread of z2 is held");

    CountDownLatch ran = new CountDownLatch(1);
    pools.of("z1").execute(ran::countDown);
    assertTrue(ran.await(30, TimeUnit.SECONDS), "z1's work ran while z2's threads were held");
    release.countDown();
  }

  @Test
  void shouldRefuseWorkPastTheWaitingBoundWhileTheZonesThreadsAreHeld() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch held = new CountDownLatch(ZonePools.THREADS_PER_ZONE);
    Runnable hold =
        () -> {
          held.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    for (int i = 0; i < ZonePools.THREADS_PER_ZONE; i++) {
      pools.of("z2").execute(hold);
    }
    assertTrue(held.await(30, TimeUnit.SECONDS), "every thread of z2 is held");
    for (int i = 0; i < ZonePools.WAITING_PER_ZONE; i++) {
      pools.of("z2").execute(() -> {});
    }

    assertThrows(RejectedExecutionException.class, () -> pools.of("z2").execute(() -> {}));
    CountDownLatch ran = new CountDownLatch(1);
    pools.of("z1").execute(ran::countDown);
    assertTrue(ran.await(30, TimeUnit.SECONDS), "z1 takes work while z2 refuses it");
    release.countDown();
  }

  @Test
  void shouldRefuseAZoneItWasNotGiven() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pools.of("z9"));
    assertEquals("No pool for zone z9.", e.getMessage());
  }
}
