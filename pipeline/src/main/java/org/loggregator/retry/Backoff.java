package org.loggregator.retry;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.DoubleSupplier;

/**
 * The waits between attempts at something that keeps failing: exponential backoff with jitter,
 * capped. Not thread-safe for {@link #nextDelay()} and {@link #reset()}, which count the steps of
 * one user (one per drain writer or tail); {@link #delay(int)} counts nothing and is as thread-safe
 * as the random source.
 *
 * <p>Step n (from 0) has the ceiling {@code min(cap, first * 2^n)}; its wait is the ceiling times a
 * random factor between the {@link Jitter}'s low and high fractions, rounded to the given
 * precision, so users that failed together do not retry together.
 */
public final class Backoff {
  private final long firstNanos;
  private final long capNanos;
  private final Jitter jitter;
  private final long unitNanos;
  private final DoubleSupplier random;
  private int step;

  /**
   * @param first the first step's ceiling
   * @param cap the ceiling no step goes above
   * @param jitter the spread of each wait around its ceiling
   * @param precision what each wait is rounded to, such as {@link ChronoUnit#MILLIS}
   * @param random values in [0, 1), such as {@code ThreadLocalRandom.current().nextDouble()} or a
   *     seeded generator in tests
   */
  public Backoff(
      Duration first, Duration cap, Jitter jitter, ChronoUnit precision, DoubleSupplier random) {
    if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
      throw new IllegalArgumentException("A backoff needs 0 < first <= cap.");
    }
    this.firstNanos = first.toNanos();
    this.capNanos = cap.toNanos();
    this.jitter = jitter;
    this.unitNanos = precision.getDuration().toNanos();
    this.random = random;
  }

  /** The wait before the next attempt; each call is one more step. */
  public Duration nextDelay() {
    Duration delay = delay(step);
    if (step < Integer.MAX_VALUE) {
      step++;
    }
    return delay;
  }

  /** Starts again from the first step, after a success. */
  public void reset() {
    step = 0;
  }

  /** Steps taken since the last success. */
  public int step() {
    return step;
  }

  /** The wait at {@code step} (from 0; a negative step is the first), with fresh jitter. */
  public Duration delay(int step) {
    long ceiling = firstNanos;
    for (int i = 0; i < step && ceiling < capNanos; i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, capNanos);
    double factor = jitter.low() + (jitter.high() - jitter.low()) * random.getAsDouble();
    long nanos = Math.round(ceiling * factor / unitNanos) * unitNanos;
    if (jitter.neverAboveCap()) {
      nanos = Math.min(nanos, capNanos);
    }
    return Duration.ofNanos(nanos);
  }

  /**
   * The spread of a step's wait, as fractions of its ceiling.
   *
   * @param low the smallest fraction, at least 0
   * @param high the largest fraction, at least {@code low}
   * @param neverAboveCap whether a wait jittered above the cap is brought back to it
   */
  public record Jitter(double low, double high, boolean neverAboveCap) {
    public Jitter {
      if (low < 0 || high < low) {
        throw new IllegalArgumentException("Jitter needs 0 <= low <= high.");
      }
    }

    /** Between half and all of the ceiling: never above it. */
    public static Jitter upToCeiling() {
      return new Jitter(0.5, 1, true);
    }

    /** The ceiling plus or minus {@code fraction} of it; may go above the cap by that much. */
    public static Jitter plusOrMinus(double fraction) {
      return new Jitter(1 - fraction, 1 + fraction, false);
    }

    /** This spread, with waits above the cap brought back to it. */
    public Jitter withinCap() {
      return new Jitter(low, high, true);
    }
  }
}
