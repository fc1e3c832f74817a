package org.loggregator.agent.lines;

import java.util.Objects;

/**
 * Cuts a byte stream into lines and cuts lines longer than a maximum into parts as the bytes
 * arrive, so memory stays bounded whatever the stream holds; one instance per stream, used by the
 * one thread that reads it.
 *
 * <p>A line ends at {@code \n}; a {@code \r} before it is dropped. A line longer than {@code
 * maxLineBytes} goes out as parts of at most that many bytes, cut before a UTF-8 character that
 * would straddle the cut; a part is emitted only once a byte beyond it arrives, so the last part is
 * never empty. Blank lines (only spaces, tabs, CR, FF, VT) are skipped, as the original agent did.
 * Lines that arrive whole in one chunk are passed on straight from that chunk; only a line split
 * across reads is copied, into one buffer of {@code maxLineBytes}.
 */
public final class LineSplitter {

  private final int maxLineBytes;
  private final LineConsumer consumer;
  private final byte[] carry;
  private int carryLength;
  private long carryTimestamp;
  private int partsEmitted;
  private long splitLines;
  private long lines;

  /**
   * @param maxLineBytes the longest line (or part) passed on, at least 4 bytes
   */
  public LineSplitter(int maxLineBytes, LineConsumer consumer) {
    if (maxLineBytes < 4) {
      throw new IllegalArgumentException("maxLineBytes must be at least 4: " + maxLineBytes);
    }
    this.maxLineBytes = maxLineBytes;
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.carry = new byte[maxLineBytes];
  }

  /** How many lines were split into parts so far. */
  public long splitLines() {
    return splitLines;
  }

  /** How many lines ended so far, blank ones included. */
  public long lines() {
    return lines;
  }

  /** Whether part of a line is held, waiting for its end. */
  public boolean hasPartialLine() {
    return carryLength > 0 || partsEmitted > 0;
  }

  /** Takes the next {@code length} bytes of the stream, read at {@code timestampNanos}. */
  public void feed(byte[] bytes, int offset, int length, long timestampNanos) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int end = offset + length;
    int start = offset;
    while (start < end) {
      int newline = indexOfNewline(bytes, start, end);
      if (newline < 0) {
        appendPartial(bytes, start, end, timestampNanos);
        return;
      }
      if (carryLength == 0 && partsEmitted == 0) {
        completeLine(bytes, start, newline, timestampNanos);
      } else {
        appendPartial(bytes, start, newline, timestampNanos);
        completeCarry();
      }
      start = newline + 1;
    }
  }

  /** The stream ended: passes on a last line that had no terminator. */
  public void finish() {
    if (hasPartialLine()) {
      completeCarry();
    }
  }

  private void completeLine(byte[] b, int start, int end, long ts) {
    lines++;
    if (end > start && b[end - 1] == '\r') {
      end--;
    }
    if (end - start <= maxLineBytes) {
      if (!isBlank(b, start, end)) {
        consumer.onLine(b, start, end - start, ts, 0, true);
      }
      return;
    }
    int part = 0;
    while (end - start > maxLineBytes) {
      int cut = cutAt(b, start, maxLineBytes, b[start + maxLineBytes]);
      consumer.onLine(b, start, cut, ts, ++part, false);
      start += cut;
    }
    consumer.onLine(b, start, end - start, ts, part + 1, true);
    splitLines++;
  }

  private void appendPartial(byte[] b, int from, int to, long ts) {
    if (carryLength == 0 && partsEmitted == 0) {
      carryTimestamp = ts;
    }
    while (from < to) {
      if (carryLength == maxLineBytes) {
        emitCarryPart(b[from]);
      }
      int n = Math.min(to - from, maxLineBytes - carryLength);
      System.arraycopy(b, from, carry, carryLength, n);
      carryLength += n;
      from += n;
    }
  }

  private void emitCarryPart(byte next) {
    int cut = cutAt(carry, 0, carryLength, next);
    consumer.onLine(carry, 0, cut, carryTimestamp, ++partsEmitted, false);
    System.arraycopy(carry, cut, carry, 0, carryLength - cut);
    carryLength -= cut;
  }

  private void completeCarry() {
    lines++;
    int end = carryLength;
    if (end > 0 && carry[end - 1] == '\r') {
      end--;
    }
    if (partsEmitted > 0) {
      consumer.onLine(carry, 0, end, carryTimestamp, partsEmitted + 1, true);
      splitLines++;
    } else if (!isBlank(carry, 0, end)) {
      consumer.onLine(carry, 0, end, carryTimestamp, 0, true);
    }
    carryLength = 0;
    partsEmitted = 0;
  }

  /**
   * How many of the {@code length} bytes at {@code start} to cut off, {@code next} being the byte
   * after them, so that no UTF-8 character straddles the cut: backs off over at most 3 bytes; bytes
   * that are not UTF-8 are cut where they fall.
   */
  static int cutAt(byte[] b, int start, int length, byte next) {
    int cut = length;
    while (cut > Math.max(1, length - 3) && isContinuation(cut == length ? next : b[start + cut])) {
      cut--;
    }
    return isContinuation(cut == length ? next : b[start + cut]) ? length : cut;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private static int indexOfNewline(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static boolean isBlank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != 0x0b) {
        return false;
      }
    }
    return true;
  }
}
