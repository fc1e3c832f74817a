package org.loggregator.doppler.transit;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.loggregator.protocol.RendezvousShard;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.TransitTrailer;

/**
 * Counts, from the transit trailers of the envelopes that arrive, what each agent sent this doppler
 * and what of it never came, per app; thread-safe. {@link #record} runs on every receiving thread
 * for every envelope: it takes one short stripe lock, never does I/O under it, and allocates
 * nothing unless it meets a new (epoch, app). {@link #flush} runs from one thread every interval
 * and returns what was lost and received since the last one.
 *
 * <p>It keeps one {@link TransitGap} per (agent epoch, app), in {@value #STRIPES} stripes, at most
 * {@code maxEntries} in all: an envelope of a new (epoch, app) past the bound goes untracked, and
 * so do envelopes of an app whose key collides with another's (64-bit hashes: practically never),
 * both counted. An entry that saw nothing for {@code idleFlushes} flushes and has no open hole is
 * forgotten at a flush, counted.
 *
 * <p>An app's lines come in runs, so it remembers the entry it saw last: an envelope of the same
 * agent epoch and app id (compared byte for byte) goes straight to that entry's stripe, without
 * hashing the app id or looking it up.
 */
public final class TransitLossTracker {

  static final int STRIPES = 16;

  /** What one flush found. */
  public record Report(
      Map<String, Map<String, Long>> lostByAppAndHost,
      Map<String, long[]> receivedAndLostByHost,
      long duplicates,
      long late,
      long resyncs,
      long evicted) {}

  private static final class Key {
    long epoch;
    long app;

    Key(long epoch, long app) {
      this.epoch = epoch;
      this.app = app;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.epoch == epoch && k.app == app;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(epoch * 31 + app);
    }
  }

  private static final class Entry {
    final long epoch;
    final byte[] appId;
    final String appIdText;
    final String host;
    final TransitGap gap;
    final Stripe stripe;
    boolean forgotten; // guarded by stripe

    Entry(long epoch, byte[] appId, String appIdText, String host, TransitGap gap, Stripe stripe) {
      this.epoch = epoch;
      this.appId = appId;
      this.appIdText = appIdText;
      this.host = host;
      this.gap = gap;
      this.stripe = stripe;
    }

    boolean is(long epoch, byte[] id, int offset, int length) {
      return this.epoch == epoch
          && Arrays.equals(appId, 0, appId.length, id, offset, offset + length);
    }
  }

  private static final class Stripe {
    final Key probe = new Key(0, 0);
    final HashMap<Key, Entry> entries = new HashMap<>();
  }

  private final Stripe[] stripes = new Stripe[STRIPES];
  private final int maxPerStripe;
  private final int idleFlushes;
  private final TransitCounters counters;

  /**
   * The entry the last envelope went to. Read and written without a lock: an entry's identity is
   * final and checked before use, and its gap is only touched under its stripe's lock.
   */
  private Entry last;

  /**
   * @param maxEntries (agent epoch, app) pairs tracked at once, at least {@value #STRIPES}
   * @param idleFlushes flushes without an envelope after which an entry is forgotten
   */
  public TransitLossTracker(int maxEntries, int idleFlushes, TransitCounters counters) {
    if (maxEntries < STRIPES || idleFlushes < 2) {
      throw new IllegalArgumentException("maxEntries >= 16 and idleFlushes >= 2 are required");
    }
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
    this.maxPerStripe = maxEntries / STRIPES;
    this.idleFlushes = idleFlushes;
    this.counters = counters;
  }

  /**
   * Notes one envelope that was read; envelopes without a tracked trailer or app id are skipped.
   */
  public void record(RoutingFields fields) {
    if (!fields.hasTransit()) {
      return;
    }
    if (!fields.hasAppId()) {
      counters.untrackedNoApp.increment();
      return;
    }
    byte[] id = fields.appIdBytes();
    int offset = fields.appIdOffset();
    int length = fields.appIdLength();
    long epoch = fields.transitEpoch();
    Entry recent = last;
    if (recent != null && recent.is(epoch, id, offset, length)) {
      synchronized (recent.stripe) {
        if (!recent.forgotten) {
          recent.gap.observe(fields.transitSequence());
          return;
        }
      }
    }
    long app = RendezvousShard.hash(id, offset, length);
    long mixed = epoch * 0x9E3779B97F4A7C15L + app;
    Stripe stripe = stripes[(int) (mixed >>> 60)];
    synchronized (stripe) {
      stripe.probe.epoch = epoch;
      stripe.probe.app = app;
      Entry entry = stripe.entries.get(stripe.probe);
      if (entry == null) {
        if (stripe.entries.size() >= maxPerStripe) {
          counters.untrackedTableFull.increment();
          return;
        }
        String host =
            TransitTrailer.printableHost(
                fields.buffer(), fields.transitHostOffset(), fields.transitHostLength());
        byte[] copy = Arrays.copyOfRange(id, offset, offset + length);
        entry =
            new Entry(
                epoch,
                copy,
                fields.appId(),
                host,
                new TransitGap(fields.transitSequence()),
                stripe);
        stripe.entries.put(new Key(epoch, app), entry);
        last = entry;
        return;
      }
      if (!entry.is(epoch, id, offset, length)) {
        counters.untrackedCollision.increment();
        return;
      }
      entry.gap.observe(fields.transitSequence());
      last = entry;
    }
  }

  /**
   * Declares lost the holes whose time is up, forgets idle entries, and returns what was lost and
   * received since the last flush. Call it from one thread, every interval.
   */
  public Report flush() {
    Map<String, Map<String, Long>> lostByApp = new TreeMap<>();
    Map<String, long[]> byHost = new TreeMap<>();
    long duplicates = 0;
    long late = 0;
    long resyncs = 0;
    long evicted = 0;
    for (Stripe stripe : stripes) {
      synchronized (stripe) {
        Iterator<Entry> it = stripe.entries.values().iterator();
        while (it.hasNext()) {
          Entry e = it.next();
          TransitGap gap = e.gap;
          gap.flush();
          if (gap.lostCount > 0) {
            lostByApp
                .computeIfAbsent(e.appIdText, a -> new TreeMap<>())
                .merge(e.host, gap.lostCount, Long::sum);
          }
          if (gap.receivedCount > 0 || gap.lostCount > 0) {
            long[] counts = byHost.computeIfAbsent(e.host, h -> new long[2]);
            counts[0] += gap.receivedCount;
            counts[1] += gap.lostCount;
          }
          duplicates += gap.duplicates;
          late += gap.late;
          resyncs += gap.resyncs;
          gap.resetCounts();
          if (gap.idleFlushes >= idleFlushes && !gap.hasOpenHoles()) {
            e.forgotten = true;
            it.remove();
            evicted++;
          }
        }
      }
    }
    counters.add(byHost, duplicates, late, resyncs, evicted);
    return new Report(lostByApp, byHost, duplicates, late, resyncs, evicted);
  }

  /** (agent epoch, app) pairs tracked now. */
  public int size() {
    int n = 0;
    for (Stripe stripe : stripes) {
      synchronized (stripe) {
        n += stripe.entries.size();
      }
    }
    return n;
  }
}
