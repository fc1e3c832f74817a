package org.loggregator.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

  @Test
  void shouldJitterEachDelayByAtMostTwentyPercentWhenRandomIsAtItsBounds() {
    ReconnectBackoff low = new ReconnectBackoff(() -> 0.0);
    ReconnectBackoff high = new ReconnectBackoff(() -> 0.999_999);

    assertEquals(Duration.ofMillis(800), low.next());
    assertEquals(Duration.ofMillis(1600), low.next());
    assertEquals(Duration.ofMillis(1200), high.next());
    assertEquals(Duration.ofMillis(2400), high.next());
  }

  @Test
  void shouldNeverExceedThirtySecondsWhenJitteredUpwards() {
    ReconnectBackoff high = new ReconnectBackoff(() -> 0.999_999);
    for (int i = 0; i < 20; i++) {
      high.next();
    }

    assertEquals(Duration.ofSeconds(30), high.next());
  }

  @Test
  void shouldStartAgainFromOneSecondWhenReset() {
    ReconnectBackoff backoff = new ReconnectBackoff(() -> 0.5);
    backoff.next();
    backoff.next();
    backoff.next();

    backoff.reset();

    assertEquals(Duration.ofSeconds(1), backoff.next());
    assertEquals(Duration.ofSeconds(2), backoff.next());
  }
}
