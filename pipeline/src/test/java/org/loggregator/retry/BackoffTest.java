package org.loggregator.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.loggregator.retry.Backoff.Jitter;

class BackoffTest {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration THIRTY_SECONDS = Duration.ofSeconds(30);

  /** The drains': from 1 s up to a minute, between half and all of each ceiling. */
  private static Backoff drain(DoubleSupplier random) {
    return new Backoff(SECOND, MINUTE, Jitter.upToCeiling(), ChronoUnit.NANOS, random);
  }

  /** The logs command's tail: from 1 s up to 30 s, ±20 %, never above 30 s. */
  private static Backoff tail(DoubleSupplier random) {
    return new Backoff(
        SECOND, THIRTY_SECONDS, Jitter.plusOrMinus(0.2).withinCap(), ChronoUnit.MILLIS, random);
  }

  /** The controller's zone reconnects: from 1 s up to 30 s, ±20 %. */
  private static Backoff zone(DoubleSupplier random) {
    return new Backoff(SECOND, THIRTY_SECONDS, Jitter.plusOrMinus(0.2), ChronoUnit.MILLIS, random);
  }

  @Test
  void shouldDoubleTheCeilingEachStepAndStayAtTheCapWhenFailuresContinue() {
    Backoff upper = drain(() -> 0.999999);
    Backoff lower = drain(() -> 0.0);
    long[] ceilings = {1, 2, 4, 8, 16, 32, 60, 60, 60};

    for (long ceiling : ceilings) {
      Duration high = upper.nextDelay();
      Duration low = lower.nextDelay();
      assertEquals(ceiling, Math.round(high.toMillis() / 1000.0), "ceiling " + ceiling);
      assertEquals(ceiling * 500, low.toMillis(), "half the ceiling");
    }
  }

  @Test
  void shouldNeverWaitLongerThanAMinuteWhenADrainRetriesForever() {
    Random random = new Random(11);
    Backoff retry = drain(random::nextDouble);
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
      Backoff retry = drain(random::nextDouble);
      retry.nextDelay();
      retry.nextDelay();
      waits.add(retry.nextDelay());
    }

    assertNotEquals(1, waits.stream().distinct().count(), waits.toString());
  }

  @Test
  void shouldStartAgainFromTheFirstStepWhenReset() {
    Backoff retry = drain(() -> 0.0);
    for (int i = 0; i < 10; i++) {
      retry.nextDelay();
    }

    retry.reset();

    assertEquals(0, retry.step());
    assertEquals(Duration.ofMillis(500), retry.nextDelay());
  }

  @Test
  void shouldJitterEachDelayByAtMostTwentyPercentWhenRandomIsAtItsBounds() {
    Backoff low = tail(() -> 0.0);
    Backoff high = tail(() -> 0.999_999);

    assertEquals(Duration.ofMillis(800), low.nextDelay());
    assertEquals(Duration.ofMillis(1600), low.nextDelay());
    assertEquals(Duration.ofMillis(1200), high.nextDelay());
    assertEquals(Duration.ofMillis(2400), high.nextDelay());
  }

  @Test
  void shouldNeverExceedThirtySecondsWhenATailIsJitteredUpwards() {
    Backoff high = tail(() -> 0.999_999);
    for (int i = 0; i < 20; i++) {
      high.nextDelay();
    }

    assertEquals(Duration.ofSeconds(30), high.nextDelay());
  }

  @Test
  void shouldStartAgainFromOneSecondWhenATailIsReset() {
    Backoff backoff = tail(() -> 0.5);
    backoff.nextDelay();
    backoff.nextDelay();
    backoff.nextDelay();

    backoff.reset();

    assertEquals(Duration.ofSeconds(1), backoff.nextDelay());
    assertEquals(Duration.ofSeconds(2), backoff.nextDelay());
  }

  @Test
  void shouldGiveTheSameWaitForAStepWithoutCountingItWhenAskedForThatStep() {
    Backoff zone = zone(() -> 0.5);

    assertEquals(SECOND, zone.delay(-1));
    assertEquals(SECOND, zone.delay(0));
    assertEquals(Duration.ofSeconds(16), zone.delay(4));
    assertEquals(THIRTY_SECONDS, zone.delay(5));
    assertEquals(THIRTY_SECONDS, zone.delay(Integer.MAX_VALUE));
    assertEquals(0, zone.step());
  }

  @Test
  void shouldJitterAboveTheCapWhenWaitsMayGoAboveIt() {
    assertEquals(Duration.ofMillis(24_000), zone(() -> 0.0).delay(9));
    assertEquals(Duration.ofMillis(36_000), zone(() -> 0.999_999).delay(9));
  }

  @Test
  void shouldRefuseAFirstStepAboveTheCapOrNotPositive() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(MINUTE, SECOND, Jitter.upToCeiling(), ChronoUnit.NANOS, () -> 0.0));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Backoff(Duration.ZERO, SECOND, Jitter.upToCeiling(), ChronoUnit.NANOS, () -> 0.0));
  }
}
