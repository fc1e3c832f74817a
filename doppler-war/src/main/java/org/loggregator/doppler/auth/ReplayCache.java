package org.loggregator.doppler.auth;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request signatures seen while they are valid, so that each is used once: bounded in entries;
 * when full of signatures that are all still valid, new ones are refused rather than an old one
 * forgotten (which would let it be replayed). Only signatures that verified are remembered, so only
 * a holder of the shared secret can fill it. Thread-safe (one lock, held briefly, once per
 * request).
 */
public final class ReplayCache {
  /** What {@link #remember} found. */
  public enum Outcome {
    /** Not seen before: remembered now. */
    FIRST,
    /** Seen before, and still valid: a replay. */
    SEEN,
    /** Not seen, but the cache is full of valid signatures: refuse, and retry later. */
    FULL
  }

  private final int maxEntries;
  private final Map<String, Long> expiries = new LinkedHashMap<>();

  public ReplayCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** Whether {@code key} was seen and is still remembered (consumes nothing). */
  public synchronized boolean seen(String key, long nowSeconds) {
    Long expiry = expiries.get(key);
    return expiry != null && expiry >= nowSeconds;
  }

  /** Remembers {@code key} until {@code expiresAt} (unix seconds) unless it was seen before. */
  public synchronized Outcome remember(String key, long expiresAt, long nowSeconds) {
    Long expiry = expiries.get(key);
    if (expiry != null && expiry >= nowSeconds) {
      return Outcome.SEEN;
    }
    if (expiries.size() >= maxEntries) {
      forgetExpired(nowSeconds);
      if (expiries.size() >= maxEntries) {
        return Outcome.FULL;
      }
    }
    expiries.put(key, expiresAt);
    return Outcome.FIRST;
  }

  /** Signatures remembered now. */
  public synchronized int size() {
    return expiries.size();
  }

  private void forgetExpired(long nowSeconds) {
    for (Iterator<Long> it = expiries.values().iterator(); it.hasNext(); ) {
      if (it.next() < nowSeconds) {
        it.remove();
      }
    }
  }
}
