package org.loggregator.doppler.config;

import org.loggregator.config.Settings;

/**
 * The byte budgets of everything the doppler holds envelopes in, besides the counts {@link
 * DopplerConfig} reads: past a budget the oldest go first (or, for container metrics, the new one
 * is not kept), counted, and nothing grows. Sizes take plain bytes or {@code KiB}/{@code
 * MiB}/{@code GiB} ({@link Settings#bytes}). The smallest budget of a queue or ring is 64 KiB, more
 * than the largest datagram, so that any one envelope fits.
 *
 * @param recentLogBytes bytes one app's recent-log ring holds
 * @param recentLogsTotalBytes bytes all recent-log rings hold together; past it, the least recently
 *     active apps lose their oldest envelopes first
 * @param subscriberQueueBytes bytes queued per stream or firehose subscriber
 * @param drainQueueBytes bytes queued per drain
 * @param maxInstancesPerApp instances whose latest ContainerMetric an app keeps
 * @param containerMetricBytes bytes of latest ContainerMetrics an app keeps
 */
public record MemoryBudgets(
    long recentLogBytes,
    long recentLogsTotalBytes,
    long subscriberQueueBytes,
    long drainQueueBytes,
    int maxInstancesPerApp,
    long containerMetricBytes) {

  public static final String RECENT_LOG_BYTES = "doppler.recentLogBytes";
  public static final String RECENT_LOGS_TOTAL_BYTES = "doppler.recentLogsTotalBytes";
  public static final String SUBSCRIBER_QUEUE_BYTES = "doppler.subscriberQueueBytes";
  public static final String DRAIN_QUEUE_BYTES = "doppler.drainQueueBytes";
  public static final String MAX_INSTANCES_PER_APP = "doppler.maxInstancesPerApp";
  public static final String CONTAINER_METRIC_BYTES = "doppler.containerMetricBytes";

  static final long KIB = 1024;
  static final long MIB = 1024 * KIB;
  static final long GIB = 1024 * MIB;

  /** The smallest budget of a queue or ring: more than the largest UDP datagram (65,507 bytes). */
  public static final long MIN_QUEUE_BYTES = 64 * KIB;

  /** The smallest total of all rings. */
  public static final long MIN_TOTAL_BYTES = MIB;

  /** The largest total of all rings. */
  public static final long MAX_TOTAL_BYTES = 1024 * GIB;

  /**
   * Reads and validates the budgets; the first bad value throws, naming its key. An empty {@code
   * doppler.recentLogsTotalBytes} means a quarter of the heap this JVM may grow to.
   */
  public static MemoryBudgets from(Settings settings) {
    return from(settings, Runtime.getRuntime().maxMemory());
  }

  /** Like {@link #from(Settings)}, for a JVM whose heap may grow to {@code maxHeapBytes}. */
  static MemoryBudgets from(Settings settings, long maxHeapBytes) {
    return new MemoryBudgets(
        settings.bytes(RECENT_LOG_BYTES, 2 * MIB, MIN_QUEUE_BYTES, GIB),
        settings.bytes(
            RECENT_LOGS_TOTAL_BYTES, defaultTotal(maxHeapBytes), MIN_TOTAL_BYTES, MAX_TOTAL_BYTES),
        settings.bytes(SUBSCRIBER_QUEUE_BYTES, 4 * MIB, MIN_QUEUE_BYTES, GIB),
        settings.bytes(DRAIN_QUEUE_BYTES, 8 * MIB, MIN_QUEUE_BYTES, GIB),
        settings.integer(MAX_INSTANCES_PER_APP, 1000, 1, 100_000),
        settings.bytes(CONTAINER_METRIC_BYTES, MIB, MIN_QUEUE_BYTES, GIB));
  }

  /**
   * A quarter of the heap, from {@link #MIN_TOTAL_BYTES} to {@link #MAX_TOTAL_BYTES} (a JVM without
   * a heap limit answers {@link Long#MAX_VALUE}).
   */
  static long defaultTotal(long maxHeapBytes) {
    return Math.min(MAX_TOTAL_BYTES, Math.max(MIN_TOTAL_BYTES, maxHeapBytes / 4));
  }

  /** The budgets as the start-up log shows them, in KiB, MiB or GiB where exact. */
  public String summary() {
    return "recent logs "
        + size(recentLogBytes)
        + " per app and "
        + size(recentLogsTotalBytes)
        + " in all, subscriber queues "
        + size(subscriberQueueBytes)
        + ", drain queues "
        + size(drainQueueBytes)
        + ", container metrics of "
        + maxInstancesPerApp
        + " instances and "
        + size(containerMetricBytes)
        + " per app";
  }

  /** {@code 2MiB}, {@code 96KiB} or a number of bytes. */
  static String size(long bytes) {
    if (bytes % GIB == 0) {
      return bytes / GIB + "GiB";
    }
    if (bytes % MIB == 0) {
      return bytes / MIB + "MiB";
    }
    if (bytes % KIB == 0) {
      return bytes / KIB + "KiB";
    }
    return bytes + " bytes";
  }
}
