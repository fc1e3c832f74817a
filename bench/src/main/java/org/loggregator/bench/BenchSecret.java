package org.loggregator.bench;

/**
 * The shared secret of everything a benchmark starts: explicit, 32 bytes or more, and never the
 * published one (servers and agents refuse that).
 */
public final class BenchSecret {
  public static final String SECRET = "bench-only-shared-secret-0123456789abcdef";

  private BenchSecret() {}
}
