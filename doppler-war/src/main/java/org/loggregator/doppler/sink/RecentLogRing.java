package org.loggregator.doppler.sink;

import java.util.ArrayList;
import java.util.List;

/**
 * The last N envelopes of one app; thread-safe through a monitor that is held only to copy a
 * reference in or out, never across I/O. When full, an append overwrites the oldest.
 */
public final class RecentLogRing {
  private final byte[][] slots;
  private long appended;

  /**
   * @param capacity how many envelopes are kept, at least 1
   */
  public RecentLogRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("A recent-log ring needs a capacity of at least 1.");
    }
    slots = new byte[capacity][];
  }

  /** Keeps {@code envelope} (not copied: the caller hands it over), dropping the oldest if full. */
  public synchronized void append(byte[] envelope) {
    slots[(int) (appended % slots.length)] = envelope;
    appended++;
  }

  /** The envelopes kept, oldest first. */
  public synchronized List<byte[]> snapshot() {
    int size = (int) Math.min(appended, slots.length);
    List<byte[]> result = new ArrayList<>(size);
    for (long i = appended - size; i < appended; i++) {
      result.add(slots[(int) (i % slots.length)]);
    }
    return result;
  }

  /** How many envelopes it holds now. */
  public synchronized int size() {
    return (int) Math.min(appended, slots.length);
  }

  public int capacity() {
    return slots.length;
  }
}
