package org.loggregator.doppler.transit;

/**
 * The sequence numbers of one app from one agent epoch, as they arrive: the highest seen, and a
 * 64-wide window of the ones below it; not thread-safe (its tracker's stripe lock guards it).
 *
 * <p>Numbers are unsigned 32-bit and wrap; they are compared by serial-number arithmetic (RFC
 * 1982), so the difference of two numbers is their signed 32-bit difference. A number above the
 * highest moves the window and opens holes for those it skipped; one below fills its hole (it came
 * out of order) or is a duplicate. A hole is lost when it falls out of the window, or when it is
 * still open at the second {@link #flush} after it opened, so that a reordered envelope has at
 * least one whole flush interval to arrive. A jump of more than {@link #MAX_JUMP} either way starts
 * over, without loss (counted as a resync): no agent sends that many lines of one app between two
 * of its envelopes arriving, so it is a stale or restarted sender, not loss.
 */
final class TransitGap {

  /** Numbers below the highest that the window keeps. */
  static final int WINDOW = 64;

  /** The largest jump taken as loss rather than a fresh start. */
  static final int MAX_JUMP = 1 << 20;

  private int highest;
  // Bit i is the number highest - i: set when it arrived, or when it cannot be a hole.
  private long received;
  // Holes already open at the last flush: lost at the next one.
  private long aged;
  // Holes declared lost at a flush: one that arrives after all is late, not received.
  private long declared;
  // Numbers from before the first one seen: one that arrives is received, never a hole.
  private long beforeStart;

  long receivedCount;
  long lostCount;
  long duplicates;
  long late;
  long resyncs;
  boolean seenSinceFlush;
  int idleFlushes;

  /** Starts with the first number seen; numbers 0 to it, if it is below 64, are holes. */
  TransitGap(int first) {
    start(first, true);
    receivedCount = 1;
    seenSinceFlush = true;
  }

  private void start(int first, boolean holesFromZero) {
    highest = first;
    aged = 0;
    declared = 0;
    if (holesFromZero && Integer.compareUnsigned(first, WINDOW) < 0) {
      // An agent numbers each app from 0: the numbers before the first one seen were sent.
      long holes = ((1L << first) - 1) << 1;
      received = ~holes;
      beforeStart = ~holes & ~1L & (first == WINDOW - 1 ? 0 : -1L << (first + 1));
    } else {
      received = -1L;
      beforeStart = -1L << 1;
    }
  }

  /** One envelope with this number arrived. */
  void observe(int sequence) {
    seenSinceFlush = true;
    int diff = sequence - highest;
    if (diff > 0 && diff <= MAX_JUMP) {
      advance(diff);
      receivedCount++;
    } else if (diff == 0) {
      duplicates++;
    } else if (diff < 0 && diff >= -MAX_JUMP) {
      below(-diff);
    } else {
      resyncs++;
      start(sequence, false);
      receivedCount++;
    }
  }

  private void advance(int diff) {
    if (diff >= WINDOW) {
      lostCount += WINDOW - Long.bitCount(received) + (diff - WINDOW);
      received = 1L;
      aged = 0;
      declared = 0;
      beforeStart = 0;
    } else {
      long out = received >>> (WINDOW - diff);
      lostCount += diff - Long.bitCount(out);
      received = (received << diff) | 1L;
      aged <<= diff;
      declared <<= diff;
      beforeStart <<= diff;
    }
    highest += diff;
  }

  private void below(int back) {
    if (back >= WINDOW) {
      late++; // out of the window: counted lost when it left it
      return;
    }
    long bit = 1L << back;
    if ((received & bit) == 0) {
      received |= bit;
      aged &= ~bit;
      receivedCount++;
    } else if ((beforeStart & bit) != 0) {
      beforeStart &= ~bit;
      receivedCount++;
    } else if ((declared & bit) != 0) {
      declared &= ~bit;
      late++;
    } else {
      duplicates++;
    }
  }

  /**
   * Declares lost the holes that were already open at the last flush, and ages the others; the
   * counts since the last flush are then read and reset by the caller.
   */
  void flush() {
    long holes = ~received;
    long lost = holes & aged;
    lostCount += Long.bitCount(lost);
    received |= lost;
    declared |= lost;
    aged = holes & ~lost;
    idleFlushes = seenSinceFlush ? 0 : idleFlushes + 1;
    seenSinceFlush = false;
  }

  /** Whether holes are waiting for their second flush. */
  boolean hasOpenHoles() {
    return aged != 0 || ~received != 0;
  }

  /** Clears the counts after the caller has read them. */
  void resetCounts() {
    receivedCount = 0;
    lostCount = 0;
    duplicates = 0;
    late = 0;
    resyncs = 0;
  }
}
