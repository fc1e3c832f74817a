package org.loggregator.liveness;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PoolProbeTest {
  private final AtomicLong clock = new AtomicLong(1_000);

  @Test
  void shouldStayQuietWhileThePoolRunsItsProbes() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try {
      PoolProbe probe = new PoolProbe("workers", pool, Duration.ofSeconds(60), clock::get);
      for (int i = 0; i < 3; i++) {
        probe.probe();
        pool.submit(() -> {}).get();
        clock.addAndGet(Duration.ofSeconds(120).toNanos());
        assertNull(probe.problem(clock.get()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldReportAStuckPoolWhenItsProbeWaitsLongerThanTheLimit() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(1);
    CountDownLatch release = new CountDownLatch(1);
    try {
      pool.execute(
          () -> {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      PoolProbe probe = new PoolProbe("workers", pool, Duration.ofSeconds(60), clock::get);
      probe.probe();
      assertNull(probe.problem(clock.get() + Duration.ofSeconds(59).toNanos()));
      String problem = probe.problem(clock.get() + Duration.ofSeconds(61).toNanos());
      assertTrue(problem != null && problem.contains("every worker is stuck"), problem);
      release.countDown();
      pool.submit(() -> {}).get();
      assertNull(probe.problem(clock.get() + Duration.ofSeconds(61).toNanos()));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldReportAPoolThatRefusesWorkWhenItWasShutDown() {
    ExecutorService pool = Executors.newFixedThreadPool(1);
    pool.shutdownNow();
    PoolProbe probe = new PoolProbe("workers", pool, Duration.ofSeconds(60), clock::get);
    probe.probe();
    String problem = probe.problem(clock.get());
    assertTrue(problem != null && problem.contains("refuses work"), problem);
  }
}
