package org.loggregator.controller.proxy;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One small pool of threads per zone, for the blocking work of talking to that zone's dopplers:
 * recent-log and admin queries, and stream connections. A zone whose dopplers answer slowly, or not
 * at all, holds its own threads only, so every other zone is asked, and answers, as promptly as if
 * it were not there. Idle threads end after a minute; a pool with {@value #WAITING_PER_ZONE} tasks
 * waiting refuses more. Thread-safe.
 */
public final class ZonePools {
  /** Threads per zone, at most. */
  public static final int THREADS_PER_ZONE = 4;

  /**
   * Tasks waiting per zone, at most: past it a zone is not asked (a query skips it, a stream
   * retries it with backoff), so that requests arriving faster than a silent zone lets its tasks
   * give up cannot queue without bound.
   */
  public static final int WAITING_PER_ZONE = 1024;

  private final Map<String, ThreadPoolExecutor> pools = new LinkedHashMap<>();

  /**
   * @param zones every zone that will be asked for
   * @param threads makes every pool's threads
   */
  public ZonePools(Collection<String> zones, ThreadFactory threads) {
    for (String zone : zones) {
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              THREADS_PER_ZONE,
              THREADS_PER_ZONE,
              60,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(WAITING_PER_ZONE),
              threads);
      pool.allowCoreThreadTimeOut(true);
      pools.put(zone, pool);
    }
  }

  /**
   * The pool of {@code zone}.
   *
   * @throws IllegalArgumentException when the zone was not given at construction
   */
  public Executor of(String zone) {
    Executor pool = pools.get(zone);
    if (pool == null) {
      throw new IllegalArgumentException("No pool for zone " + zone + ".");
    }
    return pool;
  }

  /** Every pool, for the controller to stop with its other pools. */
  public ExecutorService[] all() {
    return pools.values().toArray(ExecutorService[]::new);
  }
}
