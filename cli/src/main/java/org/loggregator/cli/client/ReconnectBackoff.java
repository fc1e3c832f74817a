package org.loggregator.cli.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The delays between reconnection attempts: 1 s, doubling up to 30 s, each with ±20 % jitter (never
 * above 30 s), until {@link #reset()}. Not thread-safe: one per tail.
 */
public final class ReconnectBackoff {
  /** The first delay, before jitter. */
  public static final Duration FIRST = Duration.ofSeconds(1);

  /** The longest delay. */
  public static final Duration MAX = Duration.ofSeconds(30);

  private static final double JITTER = 0.2;

  private final DoubleSupplier random;
  private int attempt;

  /**
   * @param random uniform in [0, 1), such as {@code ThreadLocalRandom.current()::nextDouble}
   */
  public ReconnectBackoff(DoubleSupplier random) {
    this.random = random;
  }

  /** The delay before the next attempt; each call doubles the one after. */
  public Duration next() {
    long base = FIRST.toMillis() << Math.min(attempt, 5); // 1, 2, 4, 8, 16, 32 s
    if (attempt < 5) {
      attempt++;
    }
    base = Math.min(base, MAX.toMillis());
    double factor = 1 - JITTER + 2 * JITTER * random.getAsDouble();
    return Duration.ofMillis(Math.min(MAX.toMillis(), Math.round(base * factor)));
  }

  /** Starts again from {@link #FIRST}. */
  public void reset() {
    attempt = 0;
  }
}
