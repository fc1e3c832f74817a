package org.loggregator.doppler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.config.Settings;

class MemoryBudgetsTest {
  private static final long MIB = 1 << 20;

  private static Settings settings(Map<String, String> values) {
    return new Settings(key -> Optional.ofNullable(values.get(key)));
  }

  @Test
  void shouldUseTheShippedDefaultsAndAQuarterOfTheHeapWhenNothingIsSet() {
    MemoryBudgets budgets = MemoryBudgets.from(settings(Map.of()), 512 * MIB);

    assertEquals(2 * MIB, budgets.recentLogBytes());
    assertEquals(128 * MIB, budgets.recentLogsTotalBytes());
    assertEquals(4 * MIB, budgets.subscriberQueueBytes());
    assertEquals(8 * MIB, budgets.drainQueueBytes());
    assertEquals(1000, budgets.maxInstancesPerApp());
    assertEquals(MIB, budgets.containerMetricBytes());
  }

  @Test
  void shouldTakeAQuarterOfThisJvmsHeapWhenTheTotalIsLeftEmpty() {
    MemoryBudgets budgets =
        MemoryBudgets.from(settings(Map.of(MemoryBudgets.RECENT_LOGS_TOTAL_BYTES, " ")));

    assertEquals(
        Math.max(MIB, Runtime.getRuntime().maxMemory() / 4), budgets.recentLogsTotalBytes());
  }

  @Test
  void shouldNeverDefaultBelowTheSmallestTotalWhenTheHeapIsTiny() {
    assertEquals(MIB, MemoryBudgets.defaultTotal(2 * MIB));
  }

  @Test
  void shouldNeverDefaultAboveTheLargestTotalWhenTheHeapHasNoLimit() {
    assertEquals(MemoryBudgets.MAX_TOTAL_BYTES, MemoryBudgets.defaultTotal(Long.MAX_VALUE));
    assertEquals(
        "recent logs 2MiB per app and 1024GiB in all, subscriber queues 4MiB, drain queues 8MiB,"
            + " container metrics of 1000 instances and 1MiB per app",
        MemoryBudgets.from(settings(Map.of()), Long.MAX_VALUE).summary());
  }

  @Test
  void shouldRefuseHostileSizesNamingTheKeyWhenTheTotalIsSet() {
    for (String bad :
        List.of("1TiB", "-1", "9999999999999", "1.5MiB", "0x10", "8589934592GiB", "1e9", "0")) {
      InvalidSettingException e =
          assertThrows(
              InvalidSettingException.class,
              () ->
                  MemoryBudgets.from(
                      settings(Map.of(MemoryBudgets.RECENT_LOGS_TOTAL_BYTES, bad)), 512 * MIB),
              bad);
      assertEquals(MemoryBudgets.RECENT_LOGS_TOTAL_BYTES, e.key());
      assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
    }
  }

  @Test
  void shouldReadEveryBudgetWithUnitsWhenSet() {
    MemoryBudgets budgets =
        MemoryBudgets.from(
            settings(
                Map.of(
                    MemoryBudgets.RECENT_LOG_BYTES, "512KiB",
                    MemoryBudgets.RECENT_LOGS_TOTAL_BYTES, "3GiB",
                    MemoryBudgets.SUBSCRIBER_QUEUE_BYTES, "1m",
                    MemoryBudgets.DRAIN_QUEUE_BYTES, "16MiB",
                    MemoryBudgets.MAX_INSTANCES_PER_APP, "50",
                    MemoryBudgets.CONTAINER_METRIC_BYTES, "65536")),
            512 * MIB);

    assertEquals(512 * 1024, budgets.recentLogBytes());
    assertEquals(3L << 30, budgets.recentLogsTotalBytes(), "more than an int");
    assertEquals(MIB, budgets.subscriberQueueBytes());
    assertEquals(16 * MIB, budgets.drainQueueBytes());
    assertEquals(50, budgets.maxInstancesPerApp());
    assertEquals(65_536, budgets.containerMetricBytes());
    assertEquals(
        "recent logs 512KiB per app and 3GiB in all, subscriber queues 1MiB, drain queues 16MiB,"
            + " container metrics of 50 instances and 64KiB per app",
        budgets.summary());
  }

  @Test
  void shouldRefuseABudgetSmallerThanTheLargestDatagramNamingTheKey() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () ->
                MemoryBudgets.from(
                    settings(Map.of(MemoryBudgets.SUBSCRIBER_QUEUE_BYTES, "60000")), 512 * MIB));

    assertEquals(MemoryBudgets.SUBSCRIBER_QUEUE_BYTES, e.key());
    assertEquals(
        "Configuration value doppler.subscriberQueueBytes must be a size from 65536 to 1073741824"
            + " bytes (such as 8MiB or 65536), but is \"60000\".",
        e.getMessage());
  }

  @Test
  void shouldRefuseEachBadValueNamingItsKey() {
    Map<String, String> bad =
        Map.of(
            MemoryBudgets.RECENT_LOG_BYTES, "2 MB",
            MemoryBudgets.RECENT_LOGS_TOTAL_BYTES, "100KiB",
            MemoryBudgets.DRAIN_QUEUE_BYTES, "2GiB",
            MemoryBudgets.MAX_INSTANCES_PER_APP, "0",
            MemoryBudgets.CONTAINER_METRIC_BYTES, "lots");
    for (Map.Entry<String, String> entry : bad.entrySet()) {
      InvalidSettingException e =
          assertThrows(
              InvalidSettingException.class,
              () -> MemoryBudgets.from(settings(Map.of(entry.getKey(), entry.getValue())), MIB));
      assertEquals(entry.getKey(), e.key());
    }
  }
}
