package org.loggregator.liveness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.loggregator.metrics.Counter;

class PeriodicTaskTest {
  private final AtomicLong clock = new AtomicLong(1_000);
  private final Counter errors = Counter.local();

  @Test
  void shouldKeepRunningAndCountWhenTheTaskThrowsOnAScheduler() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    PeriodicTask task =
        new PeriodicTask(
            "flaky",
            () -> {
              if (runs.incrementAndGet() % 2 == 1) {
                throw new IllegalStateException("every other run fails");
              }
            },
            Duration.ofMillis(1),
            errors,
            System::nanoTime);
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    try {
      scheduler.scheduleWithFixedDelay(task, 0, 1, TimeUnit.MILLISECONDS);
      while (runs.get() < 10) {
        Thread.sleep(1);
      }
    } finally {
      scheduler.shutdownNow();
    }
    assertTrue(errors.count() >= 5, "failures are counted: " + errors.count());
    assertNull(task.problem(System.nanoTime()), "a task that throws is still alive");
  }

  @Test
  void shouldReportATaskThatStoppedCompletingWhenThreePeriodsAndTenSecondsPass() {
    PeriodicTask task =
        new PeriodicTask("sweep", () -> {}, Duration.ofSeconds(1), errors, clock::get);
    task.run();
    assertNull(task.problem(clock.get() + Duration.ofSeconds(12).toNanos()));
    String problem = task.problem(clock.get() + Duration.ofSeconds(14).toNanos());
    assertTrue(problem != null && problem.contains("sweep has not completed a run"), problem);
  }

  @Test
  void shouldReportATaskThatDiedOfAVirtualMachineErrorAndLetTheErrorThrough() {
    PeriodicTask task =
        new PeriodicTask(
            "doomed",
            () -> {
              throw new OutOfMemoryError("test");
            },
            Duration.ofSeconds(1),
            errors,
            clock::get);
    assertThrows(OutOfMemoryError.class, task::run);
    String problem = task.problem(clock.get());
    assertTrue(problem != null && problem.contains("doomed died"), problem);
    assertEquals(0, errors.count());
  }
}
