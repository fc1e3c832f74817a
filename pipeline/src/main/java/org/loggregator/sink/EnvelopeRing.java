package org.loggregator.sink;

import java.util.ArrayList;
import java.util.List;

/**
 * Envelopes, oldest first, bounded by a count and by their bytes (the lengths of the arrays it
 * holds); not thread-safe: the queue or ring that owns it calls it under its own monitor. Adding
 * drops the oldest until the new envelope fits both bounds; one larger than the whole byte budget
 * is kept alone, so it never holds more than its byte budget or one envelope. Its byte count is
 * kept with every slot written, so nothing outside it has to be kept in step.
 *
 * <p>Its slots grow with what it holds, doubling from {@link #INITIAL_SLOTS} up to its capacity, so
 * an idle or slow-but-keeping-up subscriber costs a small array, not one sized for the largest
 * burst it may have to absorb; a ring never gives slots back.
 */
public final class EnvelopeRing {
  /** Slots a ring starts with (fewer when its capacity is smaller). */
  public static final int INITIAL_SLOTS = 64;

  private byte[][] slots;
  private final int capacity;
  private final long maxBytes;
  private long head; // oldest
  private long tail; // next to fill
  private long bytes; // of the envelopes from head to tail

  /**
   * @param capacity how many envelopes it holds, at least 1
   * @param maxBytes how many bytes of envelopes it holds, at least 1 ({@link Long#MAX_VALUE}: no
   *     byte budget)
   */
  public EnvelopeRing(int capacity, long maxBytes) {
    if (capacity < 1) {
      throw new IllegalArgumentException("A capacity must be at least 1, was " + capacity);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("A byte budget must be at least 1, was " + maxBytes);
    }
    slots = new byte[Math.min(capacity, INITIAL_SLOTS)][];
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  /**
   * Keeps {@code envelope} (not copied: the caller hands it over) newest, dropping the oldest until
   * it fits the count and the byte budget.
   *
   * @return how many were dropped; when {@link #isFull} before, the first of them only made room in
   *     the count
   */
  public int add(byte[] envelope) {
    int dropped = 0;
    if (tail - head == slots.length && slots.length < capacity) {
      grow();
    }
    while (head != tail && (tail - head == capacity || bytes + envelope.length > maxBytes)) {
      removeOldest();
      dropped++;
    }
    slots[(int) (tail % slots.length)] = envelope;
    tail++;
    bytes += envelope.length;
    return dropped;
  }

  /** The oldest envelope, taken out, or null when empty. */
  public byte[] poll() {
    return head == tail ? null : removeOldest();
  }

  /**
   * Drops the oldest until at least {@code wanted} bytes are freed or only {@code keep} are left.
   *
   * @return how many were dropped
   */
  public int dropOldest(long wanted, int keep) {
    long freed = 0;
    int dropped = 0;
    while (freed < wanted && tail - head > keep) {
      freed += removeOldest().length;
      dropped++;
    }
    return dropped;
  }

  /** Drops everything. */
  public void clear() {
    while (head != tail) {
      removeOldest();
    }
  }

  /** Doubles the slots (at most to the capacity), keeping each envelope's place in the order. */
  private void grow() {
    byte[][] larger = new byte[(int) Math.min(capacity, 2L * slots.length)][];
    for (long i = head; i < tail; i++) {
      larger[(int) (i % larger.length)] = slots[(int) (i % slots.length)];
    }
    slots = larger;
  }

  private byte[] removeOldest() {
    int index = (int) (head % slots.length);
    byte[] envelope = slots[index];
    slots[index] = null;
    head++;
    bytes -= envelope.length;
    return envelope;
  }

  /** The envelopes held, oldest first, in a list of their own. */
  public List<byte[]> snapshot() {
    List<byte[]> result = new ArrayList<>(size());
    for (long i = head; i < tail; i++) {
      result.add(slots[(int) (i % slots.length)]);
    }
    return result;
  }

  public boolean isEmpty() {
    return head == tail;
  }

  /** True when the next {@link #add} drops the oldest to make room in the count. */
  public boolean isFull() {
    return tail - head == capacity;
  }

  public int size() {
    return (int) (tail - head);
  }

  /** Bytes of the envelopes held. */
  public long bytes() {
    return bytes;
  }

  public int capacity() {
    return capacity;
  }

  /** Slots allocated now: from {@link #INITIAL_SLOTS} up to the capacity. */
  public int slots() {
    return slots.length;
  }
}
