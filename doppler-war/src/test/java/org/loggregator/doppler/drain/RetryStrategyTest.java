package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryStrategyTest {

  @Test
  void shouldDoubleTheCeilingEachStepAndStayAtTheCapWhenFailuresContinue() {
    RetryStrategy upper = new RetryStrategy(RetryStrategy.BASE, RetryStrategy.MAX, () -> 0.999999);
    RetryStrategy lower = new RetryStrategy(RetryStrategy.BASE, RetryStrategy.MAX, () -> 0.0);
    long[] ceilings = {1, 2, 4, 8, 16, 32, 60, 60, 60};

    for (long ceiling : ceilings) {
      Duration high = upper.nextDelay();
      Duration low = lower.nextDelay();
      assertEquals(ceiling, Math.round(high.toMillis() / 1000.0), "ceiling " + ceiling);
      assertEquals(ceiling * 500, low.toMillis(), "half the ceiling");
    }
  }

  @Test
  void shouldNeverWaitLongerThanAMinuteWhenRetryingForever() {
    RetryStrategy retry = new RetryStrategy();
    for (int i = 0; i < 200; i++) {
      Duration wait = retry.nextDelay();
      assertTrue(wait.compareTo(Duration.ofMinutes(1)) <= 0, wait.toString());
      assertTrue(wait.compareTo(Duration.ofMillis(500)) >= 0, wait.toString());
    }
  }

  @Test
  void shouldSpreadTheWaitsOfDrainsWhenTheyFailTogether() {
    Random random = new Random(7);
    List<Duration> waits = new ArrayList<>();
    for (int drain = 0; drain < 5; drain++) {
      RetryStrategy retry =
          new RetryStrategy(RetryStrategy.BASE, RetryStrategy.MAX, random::nextDouble);
      retry.nextDelay();
      retry.nextDelay();
      waits.add(retry.nextDelay());
    }

    assertNotEquals(1, waits.stream().distinct().count(), waits.toString());
  }

  @Test
  void shouldStartAgainFromTheFirstStepWhenReset() {
    RetryStrategy retry = new RetryStrategy(RetryStrategy.BASE, RetryStrategy.MAX, () -> 0.0);
    for (int i = 0; i < 10; i++) {
      retry.nextDelay();
    }

    retry.reset();

    assertEquals(0, retry.step());
    assertEquals(Duration.ofMillis(500), retry.nextDelay());
  }
}
