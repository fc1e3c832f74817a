package org.loggregator.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.loggregator.metrics.MetricName;

class ConnectionLivenessTest {
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong clock = new AtomicLong(1000 * SECOND);
  private final AtomicInteger pings = new AtomicInteger();
  private final ConnectionLiveness<String> liveness =
      new ConnectionLiveness<>(
          Duration.ofSeconds(30), Duration.ofSeconds(30), clock::get, c -> pings.incrementAndGet());
  private final String session = "connection-1";

  private static Subscriber subscriber(RecordingTransport transport) {
    return new Subscriber(
        10,
        transport,
        Runnable::run,
        new SinkCounters(MetricName.localCounters(), java.util.Map.of()),
        "app",
        "doppler");
  }

  @Test
  void shouldPingEachConnectionWhenThePingIntervalHasPassed() {
    liveness.register(session, subscriber(RecordingTransport.inline("s")));

    clock.addAndGet(29 * SECOND);
    liveness.check();
    assertEquals(0, pings.get());
    clock.addAndGet(SECOND);
    liveness.check();
    assertEquals(1, pings.get());
  }

  @Test
  void shouldClosePolicyViolationWhenNoPongComesWithinThirtySecondsOfAPing() {
    RecordingTransport transport = RecordingTransport.inline("s");
    Subscriber subscriber = subscriber(transport);
    liveness.register(session, subscriber);

    clock.addAndGet(30 * SECOND);
    liveness.check(); // ping
    clock.addAndGet(30 * SECOND);
    liveness.check();
    assertFalse(subscriber.isClosed(), "exactly 30 s is still in time");
    clock.addAndGet(SECOND);
    liveness.check();

    assertTrue(subscriber.isClosed());
    assertEquals(1008, transport.closeCode());
    assertEquals(0, liveness.size());
  }

  @Test
  void shouldKeepAConnectionOpenWhenItAnswersEveryPing() {
    RecordingTransport transport = RecordingTransport.inline("s");
    Subscriber subscriber = subscriber(transport);
    liveness.register(session, subscriber);

    for (int i = 0; i < 10; i++) {
      clock.addAndGet(30 * SECOND);
      liveness.check();
      clock.addAndGet(5 * SECOND);
      liveness.pong(session);
    }

    assertFalse(subscriber.isClosed());
    assertEquals(10, pings.get());
  }

  @Test
  void shouldClosePolicyViolationWhenASendIsStuckLongerThanThePongTimeout() {
    RecordingTransport transport = RecordingTransport.stuck("s");
    Subscriber subscriber = subscriber(transport);
    liveness.register(session, subscriber);
    subscriber.offer(new byte[] {1});

    // The subscriber's stall is measured on System.nanoTime, so wait for a real, short stall and
    // move the liveness clock by as much: the check compares against the subscriber's own clock.
    long stalledSince = System.nanoTime();
    clock.set(stalledSince + 31 * SECOND);
    liveness.check();

    assertTrue(subscriber.isClosed());
    assertEquals(1008, transport.closeCode());
  }

  @Test
  void shouldCloseEveryConnectionWhenTheDopplerStops() {
    RecordingTransport transport = RecordingTransport.inline("s");
    Subscriber subscriber = subscriber(transport);
    liveness.register(session, subscriber);

    liveness.closeAll(1001, "stopping");

    assertEquals(1001, transport.closeCode());
    assertEquals(0, liveness.size());
  }
}
