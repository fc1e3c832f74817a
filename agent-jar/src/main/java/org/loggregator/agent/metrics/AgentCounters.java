package org.loggregator.agent.metrics;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The values of every {@link AgentCounter}; thread-safe, allocation-free to update. Each counter
 * sits on its own cache lines so that the threads bumping different counters never contend.
 */
public final class AgentCounters {

  private static final int STRIDE = 16; // longs: 128 bytes between counters

  private final AtomicLongArray values = new AtomicLongArray(AgentCounter.values().length * STRIDE);
  private final LongSupplier[] samplers = new LongSupplier[AgentCounter.values().length];

  public void increment(AgentCounter counter) {
    values.getAndIncrement(counter.ordinal() * STRIDE);
  }

  public void add(AgentCounter counter, long delta) {
    values.getAndAdd(counter.ordinal() * STRIDE, delta);
  }

  /**
   * Makes {@code counter} (a {@link AgentCounter#sampled()} one) read its value from {@code
   * source}.
   */
  public void sampleFrom(AgentCounter counter, LongSupplier source) {
    samplers[counter.ordinal()] = source;
  }

  /** The current value; sampled counters read their source now (not for the hot path). */
  public long get(AgentCounter counter) {
    LongSupplier sampler = samplers[counter.ordinal()];
    if (sampler != null) {
      return sampler.getAsLong();
    }
    return values.get(counter.ordinal() * STRIDE);
  }
}
