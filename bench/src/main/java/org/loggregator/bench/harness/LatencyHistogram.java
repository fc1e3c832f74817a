package org.loggregator.bench.harness;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Latencies in buckets: 1 µs wide up to 100 ms, then 1 ms wide up to 60 s (longer ones in the last
 * bucket). Recording is allocation-free and safe from any thread.
 */
final class LatencyHistogram {
  private static final int FINE = 100_000; // µs buckets: [0, 100 ms)
  private static final int COARSE = 60_000; // ms buckets: [100 ms, 60 s]
  private final AtomicIntegerArray counts = new AtomicIntegerArray(FINE + COARSE);

  void record(long nanos) {
    long micros = Math.max(0, nanos / 1000);
    int bucket;
    if (micros < FINE) {
      bucket = (int) micros;
    } else {
      bucket = FINE + (int) Math.min(COARSE - 1, (micros - FINE) / 1000);
    }
    counts.incrementAndGet(bucket);
  }

  long count() {
    long n = 0;
    for (int i = 0; i < counts.length(); i++) {
      n += counts.get(i);
    }
    return n;
  }

  /** The latency in milliseconds below which a share {@code p} (0 to 1) of the records fall. */
  double percentileMillis(double p) {
    long total = count();
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(p * total));
    long seen = 0;
    for (int i = 0; i < counts.length(); i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return i < FINE ? (i + 1) / 1000.0 : 100.0 + (i - FINE + 1);
      }
    }
    return Double.NaN;
  }
}
