package org.loggregator.agent.lines;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Joins the continuation lines of a Java stack trace to the line before them, with {@code \n}
 * between, so that a trace travels as one envelope; one instance per stream, used by the thread
 * that reads it.
 *
 * <p>A continuation is an indented {@code at …}, {@code ... N more} (or any indented {@code ...}),
 * {@code Caused by: …} or {@code Suppressed: …}, or a {@code Caused by: …} at the start of the
 * line. Every whole line is held until the next line shows whether it continues; the reader calls
 * {@link #flush()} when the stream goes quiet, so a held line waits only that long. Memory is
 * bounded: a joined message never exceeds {@code maxBytes}; a continuation that would make it
 * longer starts a new message. Parts of split lines are never joined.
 */
public final class JavaStackTraceJoiner implements LineConsumer {

  private static final byte[] AT = ascii("at ");
  private static final byte[] ELLIPSIS = ascii("...");
  private static final byte[] CAUSED_BY = ascii("Caused by:");
  private static final byte[] SUPPRESSED = ascii("Suppressed:");

  private final LineConsumer downstream;
  private final byte[] pending;
  private int pendingLength;
  private boolean holding;
  private long pendingTimestamp;
  private long joinedLines;

  public JavaStackTraceJoiner(int maxBytes, LineConsumer downstream) {
    this.pending = new byte[maxBytes];
    this.downstream = Objects.requireNonNull(downstream, "downstream");
  }

  /** How many continuation lines were joined to the line before them so far. */
  public long joinedLines() {
    return joinedLines;
  }

  /** Whether a line is held, waiting to see whether the next one continues it. */
  public boolean isHolding() {
    return holding;
  }

  @Override
  public void onLine(
      byte[] bytes, int offset, int length, long timestampNanos, int part, boolean lastPart) {
    if (part != 0) {
      flush();
      downstream.onLine(bytes, offset, length, timestampNanos, part, lastPart);
      return;
    }
    if (holding
        && pendingLength + 1 + length <= pending.length
        && isContinuation(bytes, offset, length)) {
      pending[pendingLength++] = '\n';
      System.arraycopy(bytes, offset, pending, pendingLength, length);
      pendingLength += length;
      joinedLines++;
      return;
    }
    flush();
    System.arraycopy(bytes, offset, pending, 0, length);
    pendingLength = length;
    pendingTimestamp = timestampNanos;
    holding = true;
  }

  /** Passes on the held line, if any, with what was joined to it. */
  public void flush() {
    if (holding) {
      holding = false;
      downstream.onLine(pending, 0, pendingLength, pendingTimestamp, 0, true);
      pendingLength = 0;
    }
  }

  /** Whether the line continues a stack trace line before it. */
  static boolean isContinuation(byte[] b, int offset, int length) {
    int end = offset + length;
    int p = offset;
    while (p < end && (b[p] == ' ' || b[p] == '\t')) {
      p++;
    }
    if (p == offset) {
      return startsWith(b, p, end, CAUSED_BY);
    }
    return startsWith(b, p, end, AT)
        || startsWith(b, p, end, ELLIPSIS)
        || startsWith(b, p, end, CAUSED_BY)
        || startsWith(b, p, end, SUPPRESSED);
  }

  private static boolean startsWith(byte[] b, int from, int end, byte[] prefix) {
    if (end - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
