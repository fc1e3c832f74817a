package org.loggregator.sink;

import org.loggregator.metrics.Counter;

/**
 * A bounded queue of envelopes between many producers (the receiving threads) and one consumer (a
 * subscriber's writer); when full, {@link #offer} drops the oldest and counts it, so a producer
 * never waits. A monitor guards a few array writes and is never held across I/O.
 */
public final class ManyToOneDropOldestQueue {
  private final byte[][] slots;
  private final Counter drops;
  private long head; // next to poll
  private long tail; // next to fill
  private long droppedSinceTaken;
  private long droppedTotal;

  /**
   * @param capacity how many envelopes it holds, at least 1
   */
  public ManyToOneDropOldestQueue(int capacity) {
    this(capacity, Counter.local());
  }

  /**
   * @param capacity how many envelopes it holds, at least 1
   * @param drops also counts every drop, at the moment it happens (such as the egress drop metric)
   */
  public ManyToOneDropOldestQueue(int capacity, Counter drops) {
    if (capacity < 1) {
      throw new IllegalArgumentException("Queue capacity must be at least 1, was " + capacity);
    }
    slots = new byte[capacity][];
    this.drops = drops;
  }

  /**
   * Adds an envelope, dropping the oldest when full.
   *
   * @return true if the queue was empty before, so the consumer may need waking
   */
  public synchronized boolean offer(byte[] envelope) {
    boolean wasEmpty = head == tail;
    if (tail - head == slots.length) {
      slots[(int) (head % slots.length)] = null;
      head++;
      droppedSinceTaken++;
      droppedTotal++;
      drops.increment();
    }
    slots[(int) (tail % slots.length)] = envelope;
    tail++;
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

  public synchronized long droppedTotal() {
    return droppedTotal;
  }

  public int capacity() {
    return slots.length;
  }
}
