package org.loggregator.sink;

import org.loggregator.metrics.Counter;

/**
 * A bounded queue of envelopes between many producers (the receiving threads) and one consumer (a
 * subscriber's writer); when full, {@link #offer} drops the oldest and counts it, so a producer
 * never waits. A monitor guards a few array writes and is never held across I/O.
 *
 * <p>It is bounded twice: by a count of envelopes and by their bytes (the lengths of the arrays it
 * holds). An offer drops the oldest until the new envelope fits both. An envelope larger than the
 * whole byte budget is kept alone: the queue then holds that one envelope, so it never holds more
 * than its byte budget or one envelope.
 */
public final class ManyToOneDropOldestQueue {
  /** No byte budget: only the count bounds the queue. */
  public static final long UNLIMITED_BYTES = Long.MAX_VALUE;

  private final byte[][] slots;
  private final long maxBytes;
  private final Counter drops;
  private long head; // next to poll
  private long tail; // next to fill
  private long bytes; // of the envelopes from head to tail
  private long droppedSinceTaken;
  private long droppedTotal;

  /**
   * A queue bounded by count alone (tests and benchmarks).
   *
   * @param capacity how many envelopes it holds, at least 1
   */
  public ManyToOneDropOldestQueue(int capacity) {
    this(capacity, UNLIMITED_BYTES, Counter.local());
  }

  /**
   * A queue bounded by count alone (tests and benchmarks).
   *
   * @param capacity how many envelopes it holds, at least 1
   * @param drops also counts every drop, at the moment it happens (such as the egress drop metric)
   */
  public ManyToOneDropOldestQueue(int capacity, Counter drops) {
    this(capacity, UNLIMITED_BYTES, drops);
  }

  /**
   * @param capacity how many envelopes it holds, at least 1
   * @param maxBytes how many bytes of envelopes it holds, at least 1 ({@link #UNLIMITED_BYTES}: no
   *     byte budget)
   * @param drops also counts every drop, at the moment it happens (such as the egress drop metric)
   */
  public ManyToOneDropOldestQueue(int capacity, long maxBytes, Counter drops) {
    if (capacity < 1) {
      throw new IllegalArgumentException("Queue capacity must be at least 1, was " + capacity);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("Queue byte budget must be at least 1, was " + maxBytes);
    }
    slots = new byte[capacity][];
    this.maxBytes = maxBytes;
    this.drops = drops;
  }

  /**
   * Adds an envelope, dropping the oldest until it fits the count and the byte budget.
   *
   * @return true if the queue was empty before, so the consumer may need waking
   */
  public synchronized boolean offer(byte[] envelope) {
    boolean wasEmpty = head == tail;
    while (head != tail && (tail - head == slots.length || bytes + envelope.length > maxBytes)) {
      int index = (int) (head % slots.length);
      bytes -= slots[index].length;
      slots[index] = null;
      head++;
      droppedSinceTaken++;
      droppedTotal++;
      drops.increment();
    }
    slots[(int) (tail % slots.length)] = envelope;
    tail++;
    bytes += envelope.length;
    return wasEmpty;
  }

  /** The oldest envelope, or null when empty. */
  public synchronized byte[] poll() {
    if (head == tail) {
      return null;
    }
    int index = (int) (head % slots.length);
    byte[] envelope = slots[index];
    slots[index] = null;
    head++;
    bytes -= envelope.length;
    return envelope;
  }

  /** How many were dropped since the last call, and resets that count. */
  public synchronized long takeDropped() {
    long dropped = droppedSinceTaken;
    droppedSinceTaken = 0;
    return dropped;
  }

  public synchronized boolean isEmpty() {
    return head == tail;
  }

  public synchronized int size() {
    return (int) (tail - head);
  }

  /** Bytes of the envelopes it holds now. */
  public synchronized long bytes() {
    return bytes;
  }

  public synchronized long droppedTotal() {
    return droppedTotal;
  }

  public int capacity() {
    return slots.length;
  }

  /** The byte budget ({@link #UNLIMITED_BYTES} when there is none). */
  public long maxBytes() {
    return maxBytes;
  }
}
