package org.loggregator.controller.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The grants of tokens verified lately, by the SHA-256 of each token's text: a request's token is
 * checked by its route filter and again where it is served, and a client sends the same token many
 * times, so a signature (73 µs for RS256, 2 ms for ES256) is verified once rather than each time.
 * An entry lasts at most {@link #LIFETIME_MILLIS}, never past its token's expiry (plus the clock
 * skew); at most {@link #MAX_ENTRIES} are kept, all dropped when that is reached. Only grants are
 * kept: a refused token is verified again each time. Thread-safe.
 */
final class VerifiedTokens {
  /** As long as a verified token is trusted without its signature being verified again. */
  static final long LIFETIME_MILLIS = 60_000;

  static final int MAX_ENTRIES = 4096;

  private record Entry(Grant grant, long untilMillis) {}

  private final ConcurrentHashMap<ByteBuffer, Entry> entries = new ConcurrentHashMap<>();
  private final LongSupplier clockMillis;

  VerifiedTokens(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  /**
   * The grant of the token kept under {@code key}, if it verified lately and has not expired since;
   * else null.
   */
  Grant get(ByteBuffer key) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (clockMillis.getAsLong() >= entry.untilMillis()) {
      entries.remove(key, entry);
      return null;
    }
    return entry.grant();
  }

  /** Keeps the grant of a token just verified, which expires at {@code expiresMillis}. */
  void put(ByteBuffer key, Grant grant, long expiresMillis) {
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    long until = Math.min(expiresMillis, clockMillis.getAsLong() + LIFETIME_MILLIS);
    entries.put(key, new Entry(grant, until));
  }

  int size() {
    return entries.size();
  }

  /** The key a token is kept under. */
  static ByteBuffer key(String token) {
    try {
      return ByteBuffer.wrap(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256.", e);
    }
  }
}
