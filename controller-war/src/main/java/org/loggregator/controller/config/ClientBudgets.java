package org.loggregator.controller.config;

import org.loggregator.config.Settings;

/**
 * The byte budgets of what the controller holds envelopes in, besides the counts {@link
 * ControllerConfig} reads. Sizes take plain bytes or {@code KiB}/{@code MiB}/{@code GiB} ({@link
 * Settings#bytes}).
 *
 * @param clientQueueBytes bytes queued per client connection (stream or firehose) before its oldest
 *     are dropped, counted and told to the client like any other drop
 */
public record ClientBudgets(long clientQueueBytes) {

  public static final String CLIENT_QUEUE_BYTES = "controller.clientQueueBytes";

  /**
   * The default client queue budget: 4 MiB: 64 envelopes of the largest size, thousands of ordinary
   * ones.
   */
  public static final long DEFAULT_CLIENT_QUEUE_BYTES = 4L << 20;

  /** The smallest: more than the largest UDP datagram (65,507 bytes), so any envelope fits. */
  public static final long MIN_QUEUE_BYTES = 64L << 10;

  /** Reads and validates the budgets; the first bad value throws, naming its key. */
  public static ClientBudgets from(Settings settings) {
    return new ClientBudgets(
        settings.bytes(CLIENT_QUEUE_BYTES, DEFAULT_CLIENT_QUEUE_BYTES, MIN_QUEUE_BYTES, 1L << 30));
  }
}
