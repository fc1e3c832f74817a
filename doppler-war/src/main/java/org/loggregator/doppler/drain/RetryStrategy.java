package org.loggregator.doppler.drain;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long a drain's writer waits before its next connection attempt: exponential backoff with
 * jitter, capped. Step n (from 0) waits a random time between half and all of {@code min(max, base
 * * 2^n)}, so drains that failed together do not retry together. Not thread-safe: one per writer.
 */
public final class RetryStrategy {
  /** The first step's ceiling. */
  public static final Duration BASE = Duration.ofSeconds(1);

  /** No wait is longer than this. */
  public static final Duration MAX = Duration.ofMinutes(1);

  private final long baseNanos;
  private final long maxNanos;
  private final DoubleSupplier random;
  private int step;

  /** The drains' strategy: from {@link #BASE} up to {@link #MAX}. */
  public RetryStrategy() {
    this(BASE, MAX, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param random values in [0, 1), such as a seeded generator in tests
   */
  public RetryStrategy(Duration base, Duration max, DoubleSupplier random) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("A retry needs 0 < base <= max.");
    }
    this.baseNanos = base.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  /** The wait before the next attempt; each call is one more step. */
  public Duration nextDelay() {
    long ceiling = baseNanos;
    for (int i = 0; i < step && ceiling < maxNanos; i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, maxNanos);
    step++;
    long half = ceiling / 2;
    return Duration.ofNanos(half + (long) (random.getAsDouble() * (ceiling - half)));
  }

  /** Starts again from the first step, after a success. */
  public void reset() {
    step = 0;
  }

  /** Steps taken since the last success. */
  public int step() {
    return step;
  }
}
