package org.loggregator.controller.proxy;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential reconnect delays with ±20 % jitter: 1 s, 2 s, 4 s … capped at 30 s. */
final class Backoff {
  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration CAP = Duration.ofSeconds(30);

  private Backoff() {}

  /** The delay before attempt {@code failures} (1 for the first retry). */
  static Duration delay(int failures) {
    long base = FIRST.toMillis() << Math.min(Math.max(failures - 1, 0), 5);
    long capped = Math.min(base, CAP.toMillis());
    double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
    return Duration.ofMillis((long) (capped * jitter));
  }
}
