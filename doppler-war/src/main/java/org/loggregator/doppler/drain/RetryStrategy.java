package org.loggregator.doppler.drain;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.loggregator.retry.Backoff;

/**
 * The drains' backoff with its defaults, from 1 s up to a minute, under the name the bench still
 * constructs.
 *
 * @deprecated construct a {@link Backoff} with {@link Backoff.Jitter#upToCeiling()}.
 */
@Deprecated(forRemoval = true)
public final class RetryStrategy extends Backoff {
  public RetryStrategy() {
    super(
        Duration.ofSeconds(1),
        Duration.ofMinutes(1),
        Jitter.upToCeiling(),
        ChronoUnit.NANOS,
        () -> ThreadLocalRandom.current().nextDouble());
  }
}
