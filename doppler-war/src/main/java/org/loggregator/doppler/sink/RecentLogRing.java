package org.loggregator.doppler.sink;

import java.util.ArrayList;
import java.util.List;

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
  private final byte[][] slots;
  private final RecentLogBudget budget;
  private long head; // oldest
  private long tail; // next to fill
  private volatile long bytes; // written under the monitor
  private boolean closed;

  /**
   * A ring bounded by count alone.
   *
   * @param capacity how many envelopes are kept, at least 1
   */
  public RecentLogRing(int capacity) {
    this(capacity, RecentLogBudget.unlimited());
  }

  /**
   * @param capacity how many envelopes are kept, at least 1
   * @param budget its byte budget, and the account of every ring together
   */
  public RecentLogRing(int capacity, RecentLogBudget budget) {
    if (capacity < 1) {
      throw new IllegalArgumentException("A recent-log ring needs a capacity of at least 1.");
    }
    slots = new byte[capacity][];
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
    long limit = budget.perAppBytes();
    long held = bytes;
    long freed = 0;
    int forBytes = 0;
    while (head != tail
        && (tail - head == slots.length || held - freed + envelope.length > limit)) {
      if (tail - head < slots.length) {
        forBytes++;
      }
      freed += removeOldest();
    }
    slots[(int) (tail % slots.length)] = envelope;
    tail++;
    bytes = held - freed + envelope.length;
    budget.add(envelope.length - freed);
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
    long freed = 0;
    int evicted = 0;
    while (freed < wanted && tail - head > keep) {
      freed += removeOldest();
      evicted++;
    }
    if (evicted > 0) {
      bytes -= freed;
      budget.add(-freed);
    }
    return evicted;
  }

  private long removeOldest() {
    int index = (int) (head % slots.length);
    long length = slots[index].length;
    slots[index] = null;
    head++;
    return length;
  }

  /** Empties the ring, gives its bytes back to the budget and refuses appends from now on. */
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (head != tail) {
      removeOldest();
    }
    budget.add(-bytes);
    bytes = 0;
  }

  /** The envelopes kept, oldest first. */
  public synchronized List<byte[]> snapshot() {
    List<byte[]> result = new ArrayList<>((int) (tail - head));
    for (long i = head; i < tail; i++) {
      result.add(slots[(int) (i % slots.length)]);
    }
    return result;
  }

  /** How many envelopes it holds now. */
  public synchronized int size() {
    return (int) (tail - head);
  }

  /** Bytes of the envelopes it holds now; read without the monitor. */
  public long bytes() {
    return bytes;
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  public int capacity() {
    return slots.length;
  }

  /** The app's byte budget. */
  public long maxBytes() {
    return budget.perAppBytes();
  }
}
