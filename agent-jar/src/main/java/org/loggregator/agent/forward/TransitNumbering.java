package org.loggregator.agent.forward;

import java.util.Arrays;
import java.util.function.LongSupplier;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.protocol.RendezvousShard;
import org.loggregator.protocol.TransitTrailer;

/**
 * Numbers the log lines the agent sends, per app, for the doppler to count what was lost in transit
 * (docs/PROTOCOL.md, Transit numbering); used by the sender thread alone, so not thread-safe. Each
 * app key gets the sequence 0, 1, 2, … (wrapping) within the agent's epoch, and each numbered
 * envelope gets a {@link TransitTrailer} appended in place.
 *
 * <p>The table of apps is bounded: an open-addressing table of app keys, allocated once. When it
 * holds {@code maxApps} apps and a new one comes, the agent starts a new epoch (a new random
 * number, an empty table, every app from 0 again), counted in {@link
 * AgentCounter#TRANSIT_NEW_EPOCHS}: a new epoch is never counted as loss, so nothing is numbered
 * wrongly and nothing goes unnumbered.
 */
public final class TransitNumbering {

  /** Apps numbered within one epoch, unless configured otherwise. */
  public static final int DEFAULT_MAX_APPS = 16_384;

  private final byte[] host;
  private final LongSupplier newEpoch;
  private final AgentCounters counters;
  private final int maxApps;
  private final long[] keys;
  private final int[] next;
  private final int mask;
  private int size;
  private long epoch;

  /**
   * @param host the agent's host name, as the doppler names it in notices (cut to {@value
   *     TransitTrailer#MAX_HOST_BYTES} bytes)
   * @param newEpoch a random 64-bit number for each epoch ({@code SecureRandom::nextLong})
   * @param maxApps apps numbered within one epoch, at least 1
   */
  public TransitNumbering(String host, LongSupplier newEpoch, AgentCounters counters, int maxApps) {
    if (maxApps < 1) {
      throw new IllegalArgumentException("maxApps must be at least 1");
    }
    this.host = TransitTrailer.hostBytes(host);
    this.newEpoch = newEpoch;
    this.counters = counters;
    this.maxApps = maxApps;
    int slots = Integer.highestOneBit(Math.max(2, maxApps) * 2 - 1) << 1;
    this.keys = new long[slots];
    this.next = new int[slots];
    this.mask = slots - 1;
    this.epoch = newEpoch.getAsLong();
  }

  /**
   * The key of an app for {@link ManyToOneEnvelopeRing#tryClaim(int, long, int)}: the app id's hash
   * ({@link RendezvousShard#hash(byte[], int, int)}); never {@link ManyToOneEnvelopeRing#NO_APP},
   * and {@link ManyToOneEnvelopeRing#NO_APP} for an empty app id.
   */
  public static long appKey(byte[] appId, int offset, int length) {
    if (length == 0) {
      return ManyToOneEnvelopeRing.NO_APP;
    }
    return appKeyOfHash(RendezvousShard.hash(appId, offset, length), length);
  }

  /** Like {@link #appKey}, for an app id of {@code length} bytes already hashed to {@code hash}. */
  public static long appKeyOfHash(long hash, int length) {
    if (length == 0) {
      return ManyToOneEnvelopeRing.NO_APP;
    }
    return hash == ManyToOneEnvelopeRing.NO_APP ? 1 : hash;
  }

  /**
   * Appends the trailer of the next number of {@code appKey} at {@code buffer[at]}, which has
   * {@link TransitTrailer#MAX_LENGTH} bytes of room; returns its length, or 0 for {@link
   * ManyToOneEnvelopeRing#NO_APP}, which is not numbered.
   */
  public int append(long appKey, byte[] buffer, int at) {
    if (appKey == ManyToOneEnvelopeRing.NO_APP) {
      return 0;
    }
    int sequence = nextSequence(appKey);
    return TransitTrailer.write(buffer, at, epoch, sequence, host);
  }

  /** The current epoch. */
  public long epoch() {
    return epoch;
  }

  private int nextSequence(long appKey) {
    int i = (int) appKey & mask;
    while (true) {
      long k = keys[i];
      if (k == appKey) {
        return next[i]++;
      }
      if (k == ManyToOneEnvelopeRing.NO_APP) {
        if (size == maxApps) {
          startEpoch();
          i = (int) appKey & mask;
        }
        keys[i] = appKey;
        next[i] = 1;
        size++;
        return 0;
      }
      i = (i + 1) & mask;
    }
  }

  private void startEpoch() {
    Arrays.fill(keys, ManyToOneEnvelopeRing.NO_APP);
    size = 0;
    long e;
    do {
      e = newEpoch.getAsLong();
    } while (e == epoch);
    epoch = e;
    counters.increment(AgentCounter.TRANSIT_NEW_EPOCHS);
  }
}
