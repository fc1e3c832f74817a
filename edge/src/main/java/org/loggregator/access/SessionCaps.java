package org.loggregator.access;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps on open WebSocket sessions: in total, per app (app streams) and per firehose subscription
 * id. A session takes a {@link Slot} when it opens and gives it back when it closes; past a cap, no
 * slot is given. Thread-safe; the map holds only keys with open sessions.
 */
public final class SessionCaps {
  private final int total;
  private final int perApp;
  private final int perSubscription;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perKey = new ConcurrentHashMap<>();

  /** A taken place; {@link #release} gives it back (once, however often it is called). */
  public final class Slot {
    private final String key;
    private final AtomicInteger released = new AtomicInteger();

    private Slot(String key) {
      this.key = key;
    }

    /** Whether this is the place of a session of this route and id. */
    public boolean isFor(Route route, String id) {
      return java.util.Objects.equals(key, key(route, id));
    }

    public void release() {
      if (released.getAndIncrement() == 0) {
        open.decrementAndGet();
        if (key != null) {
          perKey.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        }
      }
    }
  }

  /**
   * @param total sessions of every kind
   * @param perApp sessions serving one app
   * @param perSubscription sessions sharing one firehose subscription id
   */
  public SessionCaps(int total, int perApp, int perSubscription) {
    this.total = total;
    this.perApp = perApp;
    this.perSubscription = perSubscription;
  }

  /** Whether a session of this route and id would get a slot now (for an early refusal). */
  public boolean wouldAdmit(Route route, String id) {
    if (open.get() >= total) {
      return false;
    }
    String key = key(route, id);
    return key == null || perKey.getOrDefault(key, 0) < limit(route);
  }

  /** A slot for a session of this route and id, or null when a cap is reached. */
  public Slot tryAcquire(Route route, String id) {
    if (open.incrementAndGet() > total) {
      open.decrementAndGet();
      return null;
    }
    String key = key(route, id);
    if (key != null) {
      int limit = limit(route);
      boolean[] taken = {false};
      perKey.compute(
          key,
          (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= limit) {
              return n;
            }
            taken[0] = true;
            return now + 1;
          });
      if (!taken[0]) {
        open.decrementAndGet();
        return null;
      }
    }
    return new Slot(key);
  }

  /** Sessions open now. */
  public int open() {
    return open.get();
  }

  private static String key(Route route, String id) {
    return switch (route.credential()) {
      case APP_LOGS -> "app " + id;
      case FIREHOSE -> "firehose " + id;
      default -> null;
    };
  }

  private int limit(Route route) {
    return route.credential() == Credential.FIREHOSE ? perSubscription : perApp;
  }
}
