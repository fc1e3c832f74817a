package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loggregator.metrics.MetricName;
import org.loggregator.sink.ManyToOneDropOldestQueue;

/** A drain's queue bounded by bytes besides its count (doppler.drainQueueBytes). */
class DrainQueueBytesTest {
  private static final String APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";
  private static final String URL = "syslog://127.0.0.1:5140";

  private final DrainCounters counters = new DrainCounters(MetricName.localCounters(), Map.of());
  private final FakeDrainWriter writer = new FakeDrainWriter();
  private Drain drain;

  @AfterEach
  void closeDrain() throws InterruptedException {
    if (drain != null) {
      drain.close();
      assertTrue(drain.awaitStopped(5000));
    }
  }

  private static byte[] line(int i) {
    return SyslogFormatterTest.log(String.format("line %02d ", i) + "x".repeat(2_000));
  }

  @Test
  void shouldDropTheOldestLinesAndCountThemWhenQueuedBytesReachTheDrainQueueBytes()
      throws Exception {
    int length = line(0).length;
    drain =
        new Drain(
            APP,
            DrainUrl.parse(URL),
            writer,
            10_000,
            5L * length + length / 2,
            new SyslogFormatter("loggregator"),
            TestBackoffs.fast(),
            counters.of(DrainUrl.Scheme.SYSLOG),
            (appId, text) -> {});

    for (int i = 0; i < 20; i++) {
      drain.offer(line(i));
    }

    assertEquals(5, drain.queued(), "five fit the bytes, far below the count of 10,000");
    assertEquals(15, counters.of(DrainUrl.Scheme.SYSLOG).dropped(), "counted where they drop");
    assertEquals(15, drain.takeDropped(), "and told to the app like any other drop");

    drain.start(Thread::new);

    assertTrue(writer.awaitMessages(5));
    List<String> expected =
        IntStream.range(15, 20)
            .mapToObj(i -> String.format("line %02d ", i) + "x".repeat(2_000))
            .toList();
    assertEquals(expected, writer.messages());
  }

  @Test
  void shouldCarryTheQueueBytesWhenLimitsAreGivenThemAndNoBudgetWhenNot() {
    DrainRegistry.Limits limits =
        new DrainRegistry.Limits(
            100, Duration.ofMinutes(10), 10, 1000, "loggregator", 65_536, true);
    DrainRegistry.Limits countOnly =
        new DrainRegistry.Limits(100, Duration.ofMinutes(10), 10, 1000, "loggregator");

    assertEquals(65_536, limits.queueBytes());
    assertEquals(ManyToOneDropOldestQueue.UNLIMITED_BYTES, countOnly.queueBytes());
  }
}
