package org.loggregator.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A monotonically increasing count, safe to add to from any thread without blocking. The hot path
 * counts through this interface; a component decides where the counts are exposed (MicroProfile
 * Metrics on Liberty, Prometheus text in the agent, nothing but {@link #count()} in tests).
 */
public interface Counter {

  /** Adds {@code n}, which must not be negative. */
  void add(long n);

  /** Adds one. */
  default void increment() {
    add(1);
  }

  /** The count so far. */
  long count();

  /** A counter kept in this JVM only, over a {@link LongAdder}. */
  static Counter local() {
    LongAdder adder = new LongAdder();
    return new Counter() {
      @Override
      public void add(long n) {
        adder.add(n);
      }

      @Override
      public long count() {
        return adder.sum();
      }
    };
  }
}
