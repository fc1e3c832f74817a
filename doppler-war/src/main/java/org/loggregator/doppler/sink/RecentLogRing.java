package org.loggregator.doppler.sink;

import java.util.List;
import org.loggregator.sink.EnvelopeRing;

/**
 * The last envelopes of one app, bounded by a count and by bytes (the lengths of the arrays it
 * holds); thread-safe through a monitor that is held only to copy references in or out, never
 * across I/O. An append evicts the oldest until the new envelope fits both bounds. An envelope
 * larger than the whole byte budget is kept alone: the ring then holds just that one, the latest
 * line of the app, rather than nothing.
 *
 * <p>The ring keeps its bytes in its {@link RecentLogBudget}, under its monitor, so that the
 * budget's total is exact. A ring whose app is forgotten is {@link #close closed}: it gives its
 * bytes back, and refuses appends from then on, so that nothing unreachable stays in the account.
 */
public final class RecentLogRing {
  private final EnvelopeRing envelopes; // guarded by this
  private final RecentLogBudget budget;
  private boolean closed;

  /**
   * @param capacity how many envelopes are kept, at least 1
   * @param budget its byte budget, and the account of every ring together
   */
  public RecentLogRing(int capacity, RecentLogBudget budget) {
    envelopes = new EnvelopeRing(capacity, budget.perAppBytes());
    this.budget = budget;
  }

  /**
   * Keeps {@code envelope} (not copied: the caller hands it over), evicting the oldest until it
   * fits the count and the app's byte budget. Evictions because of the count are the ring turning
   * over and are not counted; those because of bytes are.
   *
   * @return false, keeping nothing, when the ring is closed
   */
  public synchronized boolean append(byte[] envelope) {
    if (closed) {
      return false;
    }
    boolean turningOver = envelopes.isFull();
    long before = envelopes.bytes();
    int evicted = envelopes.add(envelope);
    budget.add(envelopes.bytes() - before);
    int forBytes = turningOver ? evicted - 1 : evicted;
    if (forBytes > 0) {
      budget.evictedForApp(forBytes);
    }
    return true;
  }

  /**
   * Evicts the oldest envelopes until at least {@code wanted} bytes are freed or only {@code keep}
   * are left (for the total budget; the caller counts them).
   *
   * @return how many were evicted
   */
  public synchronized int evictOldest(long wanted, int keep) {
    long before = envelopes.bytes();
    int evicted = envelopes.dropOldest(wanted, keep);
    if (evicted > 0) {
      budget.add(envelopes.bytes() - before);
    }
    return evicted;
  }

  /** Empties the ring, gives its bytes back to the budget and refuses appends from now on. */
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    budget.add(-envelopes.bytes());
    envelopes.clear();
  }

  /** The envelopes kept, oldest first. */
  public synchronized List<byte[]> snapshot() {
    return envelopes.snapshot();
  }

  /** How many envelopes it holds now. */
  public synchronized int size() {
    return envelopes.size();
  }

  /** Bytes of the envelopes it holds now. */
  public synchronized long bytes() {
    return envelopes.bytes();
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  public int capacity() {
    return envelopes.capacity();
  }
}
