package org.loggregator.doppler.drain;

/**
 * One app's URL, bound to a running drain, or refused (then {@link #drain} is null and the binding
 * only remembers that the app was told). A binding may come from several sources at once: a tag (it
 * lives while envelopes keep naming it), the operator's configuration, the admin API; the last two
 * never expire. The flags change under the app's monitor; {@link #lastSeenNanos} is also refreshed
 * by receiving threads.
 */
final class Binding {
  final Drain drain;
  volatile long lastSeenNanos;
  boolean tagged;
  boolean configured;
  boolean admin;

  Binding(Drain drain, long now) {
    this.drain = drain;
    this.lastSeenNanos = now;
  }

  /** Whether it never expires: configured or bound through the admin API. */
  boolean permanent() {
    return configured || admin;
  }

  /** Whether a tag named it within the TTL. */
  boolean namedByTag(long now, long ttlNanos) {
    return tagged && now - lastSeenNanos <= ttlNanos;
  }
}
