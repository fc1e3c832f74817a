package org.loggregator.doppler.sink;

import java.util.concurrent.atomic.AtomicLong;
import org.loggregator.metrics.Counter;

/**
 * The byte budgets of a doppler's recent-log rings: what one app's ring may hold, and what all of
 * them together may hold. Each ring adds and subtracts its own bytes here, under its own monitor,
 * so that {@link #used()} is at every quiet moment exactly the sum of what the rings hold. This
 * class only keeps the account; whoever knows every ring (the router) evicts when {@link #over()}.
 * Thread-safe.
 */
public final class RecentLogBudget {
  /** No budget: only the rings' counts bound them. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  private final long perAppBytes;
  private final long totalBytes;
  private final Counter appBudgetEvictions;
  private final AtomicLong used = new AtomicLong();

  /**
   * @param perAppBytes bytes one app's ring holds at most (or one envelope larger than that)
   * @param totalBytes bytes all rings together should hold at most
   * @param appBudgetEvictions counts envelopes a ring evicted because of {@code perAppBytes}
   */
  public RecentLogBudget(long perAppBytes, long totalBytes, Counter appBudgetEvictions) {
    if (perAppBytes < 1 || totalBytes < 1) {
      throw new IllegalArgumentException(
          "Recent-log byte budgets must be at least 1, were " + perAppBytes + " and " + totalBytes);
    }
    this.perAppBytes = perAppBytes;
    this.totalBytes = totalBytes;
    this.appBudgetEvictions = appBudgetEvictions;
  }

  public long perAppBytes() {
    return perAppBytes;
  }

  public long totalBytes() {
    return totalBytes;
  }

  /** Bytes held by every ring of this budget together. */
  public long used() {
    return used.get();
  }

  /** True while the rings together hold more than the total budget. */
  public boolean over() {
    return used.get() > totalBytes;
  }

  void add(long delta) {
    used.addAndGet(delta);
  }

  void evictedForApp(long envelopes) {
    appBudgetEvictions.add(envelopes);
  }
}
