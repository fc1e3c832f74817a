package org.loggregator.liveness;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Watches a worker pool by giving it a no-op now and then ({@link #probe}, from a scheduler): a
 * probe that waits longer than the limit means every worker is stuck; a pool that refuses work
 * while the application runs has died. Thread-safe.
 */
public final class PoolProbe implements Liveness.Check {
  private final String name;
  private final Executor pool;
  private final long limitNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong pendingSince = new AtomicLong(-1);
  private volatile String refusal;

  /**
   * @param name how the pool is named in liveness problems
   * @param limit how long a probe may wait for a worker before the pool counts as stuck
   */
  public PoolProbe(String name, Executor pool, Duration limit, LongSupplier nanoClock) {
    this.name = name;
    this.pool = pool;
    this.limitNanos = limit.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Gives the pool a no-op unless the last one still waits. */
  public void probe() {
    long now = nanoClock.getAsLong();
    if (!pendingSince.compareAndSet(-1, now)) {
      return;
    }
    try {
      pool.execute(() -> pendingSince.set(-1));
      refusal = null;
    } catch (RejectedExecutionException e) {
      pendingSince.set(-1);
      refusal = "the worker pool " + name + " refuses work: " + e.getMessage();
    }
  }

  @Override
  public String problem(long nowNanos) {
    String refused = refusal;
    if (refused != null) {
      return refused;
    }
    long since = pendingSince.get();
    return since >= 0 && nowNanos - since > limitNanos
        ? "the worker pool "
            + name
            + " has run nothing for "
            + (nowNanos - since) / 1_000_000_000L
            + " s: every worker is stuck"
        : null;
  }
}
