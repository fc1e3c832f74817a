package org.loggregator.agent.ratelimit;

import java.nio.charset.StandardCharsets;

/**
 * Limits each app to a number of log lines per second; thread-safe (one short lock, no I/O under
 * it), allocation-free once an app's slot exists.
 *
 * <p>Windows are whole seconds of the wall clock, shared by all apps. In each window the first
 * {@code linesPerSecond} lines of an app pass; the next one is answered {@link
 * Verdict#DROP_AND_NOTIFY} (the caller drops it and writes one notice, {@link #notice()}, into the
 * app's stream) and every later one {@link Verdict#DROP}. Apps are kept in an open-addressing table
 * that is emptied at every new window, so it holds only the apps seen in the current second; past
 * {@code maxApps} apps in one second, further apps pass unlimited rather than grow the table.
 */
public final class LogRateLimiter {

  /** What to do with one line. */
  public enum Verdict {
    ADMIT,
    DROP,
    /** Drop it, and write the notice into the app's stream: the first drop of this window. */
    DROP_AND_NOTIFY
  }

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int linesPerSecond;
  private final int maxApps;
  private final int mask;
  private final byte[][] keys;
  private final int[] keyLengths;
  private final int[] hashes;
  private final long[] windows;
  private final int[] counts;
  private final byte[] notice;

  private long window = Long.MIN_VALUE;
  private int size;

  /**
   * @param linesPerSecond lines each app may send per second, at least 1
   * @param maxApps apps tracked per second
   */
  public LogRateLimiter(int linesPerSecond, int maxApps) {
    if (linesPerSecond < 1 || maxApps < 1) {
      throw new IllegalArgumentException("limit and maxApps must be positive");
    }
    this.linesPerSecond = linesPerSecond;
    this.maxApps = maxApps;
    int slots = Integer.highestOneBit(Math.max(2, maxApps) * 2 - 1) << 1;
    this.mask = slots - 1;
    this.keys = new byte[slots][];
    this.keyLengths = new int[slots];
    this.hashes = new int[slots];
    this.windows = new long[slots];
    this.counts = new int[slots];
    java.util.Arrays.fill(windows, Long.MIN_VALUE);
    this.notice =
        ("app instance exceeded log rate limit (" + linesPerSecond + " log-lines/sec)")
            .getBytes(StandardCharsets.UTF_8);
  }

  /** The configured limit. */
  public int linesPerSecond() {
    return linesPerSecond;
  }

  /** The notice text: {@code app instance exceeded log rate limit (N log-lines/sec)}. */
  public byte[] notice() {
    return notice.clone();
  }

  /**
   * Counts one line of the app whose id is {@code appId[offset, offset + length)} (UTF-8) at {@code
   * nowNanos} (UNIX nanoseconds) and says whether it may pass.
   */
  public synchronized Verdict admit(byte[] appId, int offset, int length, long nowNanos) {
    long w = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
    if (w > window) {
      window = w; // a clock that steps back stays in the current window
      size = 0;
    }
    int hash = hash(appId, offset, length);
    int slot = hash & mask;
    while (windows[slot] == window) {
      if (hashes[slot] == hash
          && keyLengths[slot] == length
          && java.util.Arrays.equals(keys[slot], 0, length, appId, offset, offset + length)) {
        return count(slot);
      }
      slot = (slot + 1) & mask;
    }
    if (size == maxApps) {
      return Verdict.ADMIT;
    }
    size++;
    if (keys[slot] == null || keys[slot].length < length) {
      keys[slot] = new byte[Math.max(64, length)];
    }
    System.arraycopy(appId, offset, keys[slot], 0, length);
    keyLengths[slot] = length;
    hashes[slot] = hash;
    windows[slot] = window;
    counts[slot] = 0;
    return count(slot);
  }

  private Verdict count(int slot) {
    int n = ++counts[slot];
    if (n <= linesPerSecond) {
      return Verdict.ADMIT;
    }
    if (n == linesPerSecond + 1) {
      return Verdict.DROP_AND_NOTIFY;
    }
    counts[slot] = linesPerSecond + 2; // saturate: never wraps back into ADMIT
    return Verdict.DROP;
  }

  private static int hash(byte[] b, int offset, int length) {
    int h = 0x811c9dc5;
    for (int i = offset; i < offset + length; i++) {
      h = (h ^ (b[i] & 0xFF)) * 0x01000193;
    }
    return h ^ (h >>> 16);
  }
}
