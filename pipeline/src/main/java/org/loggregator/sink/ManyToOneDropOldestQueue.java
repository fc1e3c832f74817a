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
 * than its byte budget or one envelope (see {@link EnvelopeRing}).
 */
public final class ManyToOneDropOldestQueue {
  /**
   * The default count of a subscriber's queue (doppler.subscriberQueue, controller.clientQueue):
   * with the default 4 MiB byte budget, both bounds meet at envelopes of about 256 bytes, and hold
   * some 280 ms at 60,000 envelopes a second, the bursts that follow a garbage-collection pause or
   * a jump in rate. Its slots grow with what it holds ({@link EnvelopeRing}), so a subscriber that
   * keeps up holds a small array.
   */
  public static final int DEFAULT_CAPACITY = 16_384;

  /** No byte budget: only the count bounds the queue. */
  public static final long UNLIMITED_BYTES = Long.MAX_VALUE;

  private final EnvelopeRing envelopes; // guarded by this
  private final Counter drops;
  private long droppedSinceTaken;
  private long droppedTotal;

  /**
   * @param capacity how many envelopes it holds, at least 1
   * @param maxBytes how many bytes of envelopes it holds, at least 1 ({@link #UNLIMITED_BYTES}: no
   *     byte budget)
   * @param drops also counts every drop, at the moment it happens (such as the egress drop metric)
   */
  public ManyToOneDropOldestQueue(int capacity, long maxBytes, Counter drops) {
    envelopes = new EnvelopeRing(capacity, maxBytes);
    this.drops = drops;
  }

  /**
   * Adds an envelope, dropping the oldest until it fits the count and the byte budget.
   *
   * @return true if the queue was empty before, so the consumer may need waking
   */
  public synchronized boolean offer(byte[] envelope) {
    boolean wasEmpty = envelopes.isEmpty();
    int dropped = envelopes.add(envelope);
    if (dropped > 0) {
      droppedSinceTaken += dropped;
      droppedTotal += dropped;
      drops.add(dropped);
    }
    return wasEmpty;
  }

  /** The oldest envelope, or null when empty. */
  public synchronized byte[] poll() {
    return envelopes.poll();
  }

  /** How many were dropped since the last call, and resets that count. */
  public synchronized long takeDropped() {
    long dropped = droppedSinceTaken;
    droppedSinceTaken = 0;
    return dropped;
  }

  public synchronized boolean isEmpty() {
    return envelopes.isEmpty();
  }

  public synchronized int size() {
    return envelopes.size();
  }

  /** Bytes of the envelopes it holds now. */
  public synchronized long bytes() {
    return envelopes.bytes();
  }

  public synchronized long droppedTotal() {
    return droppedTotal;
  }

  public int capacity() {
    return envelopes.capacity();
  }
}
