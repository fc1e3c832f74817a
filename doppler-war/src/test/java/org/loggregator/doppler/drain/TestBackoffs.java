package org.loggregator.doppler.drain;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.loggregator.retry.Backoff;
import org.loggregator.retry.Backoff.Jitter;

/**
 * Drain backoffs for tests: the drains' kind of backoff without randomness, each wait half its
 * ceiling.
 */
final class TestBackoffs {
  private TestBackoffs() {}

  /** Waits of 1, 2, 4, 4 … ms: from 2 ms up to 8 ms. */
  static Backoff fast() {
    return of(Duration.ofMillis(2), Duration.ofMillis(8));
  }

  /** From {@code first} up to {@code cap}. */
  static Backoff of(Duration first, Duration cap) {
    return new Backoff(first, cap, Jitter.upToCeiling(), ChronoUnit.NANOS, () -> 0.0);
  }
}
