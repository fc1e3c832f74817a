package org.loggregator.doppler.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.loggregator.doppler.sink.RecentLogBudget;
import org.loggregator.sink.Subscriber;

/**
 * The apps a doppler keeps, bounded in number and in recent-log bytes; thread-safe: apps are
 * tracked and appended to from every receiving thread at once, without blocking.
 *
 * <p>An app silent for the app TTL that nobody is subscribed to is forgotten by {@link #sweep}, and
 * past the app cap the least recently active apps without subscribers are evicted. All rings
 * together are bounded by the total of the {@link RecentLogBudget}: past it, the oldest envelopes
 * of the least recently active apps are evicted first (those of the app being appended to only when
 * no other app has any), counted by reason.
 */
final class AppTable {
  private final ConcurrentHashMap<String, AppSinks> apps = new ConcurrentHashMap<>();
  private final EnvelopeRouter.Retention retention;
  private final LongSupplier nanoClock;
  private final RouterCounters counters;
  private final RecentLogBudget recentLogBudget;
  private final ReentrantLock evictingForTotal = new ReentrantLock();
  // Guarded by evictingForTotal: the apps with recent logs, least recently active first, as they
  // were when last sorted, and the next of them to evict from.
  private List<Activity> evictionOrder = List.of();
  private int evictionNext;

  /**
   * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime} outside tests)
   * @param budgets the byte budget of each ring and of all rings together
   */
  AppTable(
      EnvelopeRouter.Retention retention,
      LongSupplier nanoClock,
      RouterCounters counters,
      EnvelopeRouter.Budgets budgets) {
    this.retention = retention;
    this.nanoClock = nanoClock;
    this.counters = counters;
    this.recentLogBudget =
        new RecentLogBudget(
            budgets.recentLogBytes(), budgets.recentLogsTotalBytes(), counters.appBudgetEvictions);
  }

  /** The app's sinks; an app not tracked yet is tracked from {@code now}. */
  AppSinks track(String appId, long now) {
    AppSinks app = apps.get(appId);
    return app != null ? app : trackNew(appId, now);
  }

  private AppSinks trackNew(String appId, long now) {
    AppSinks created = new AppSinks(appId, retention.recentLogs(), recentLogBudget, now);
    AppSinks existing = apps.putIfAbsent(appId, created);
    if (existing != null) {
      return existing;
    }
    if (apps.size() > retention.maxApps()) {
      evictLeastRecentlyActive(created);
    }
    return created;
  }

  /** The app's sinks, or null if it is not tracked. */
  AppSinks get(String appId) {
    return apps.get(appId);
  }

  /**
   * Appends to the app's ring, then keeps all rings within the total budget. An app forgotten
   * between its look-up and the append (its ring closed) is tracked anew.
   *
   * @return the app the envelope was kept for
   */
  AppSinks keepRecent(AppSinks app, byte[] envelope, long now) {
    if (!app.recentLogs.append(envelope)) {
      app = trackNew(app.appId, now);
      app.lastActiveNanos = now;
      app.recentLogs.append(envelope); // forgotten again at once: it goes only to subscribers
    }
    keepWithinTotalBudget(app);
    return app;
  }

  /**
   * While all rings together are over the total budget, evicts for it; one thread at a time does,
   * the others go on. The evicting thread looks again after it lets go of the lock, so an append
   * that found the lock taken is never left over the budget.
   */
  private void keepWithinTotalBudget(AppSinks appending) {
    while (recentLogBudget.over()) {
      if (!evictingForTotal.tryLock()) {
        return; // the thread that holds it looks again when it lets go
      }
      long evicted;
      try {
        evicted = evictForTotalBudget(appending);
      } finally {
        evictingForTotal.unlock();
      }
      if (evicted == 0) {
        return; // nothing left to evict but the newest envelope of the app being appended to
      }
    }
  }

  /**
   * Evicts the oldest envelopes of the least recently active apps first, until all rings hold at
   * most the total budget less 1/64 of it (room to spare, so that eviction runs once per batch of
   * envelopes, not once per envelope). The app being appended to loses envelopes only when no other
   * app has any left, and keeps its newest.
   *
   * <p>The apps are not sorted for every batch: the order sorted last is followed on from where the
   * last batch stopped, passing over the apps active since (their place is now among the latest,
   * behind every app not active since) and those emptied. The apps are sorted again only when the
   * order is used up, so a batch costs the apps it evicts from, and a sort of every app is shared
   * by as many batches as it takes to evict from every app once.
   *
   * @return how many envelopes were evicted
   */
  private long evictForTotalBudget(AppSinks appending) {
    long target = recentLogBudget.totalBytes() - recentLogBudget.totalBytes() / 64;
    long evicted = 0;
    boolean sorted = false;
    for (long excess = recentLogBudget.used() - target;
        excess > 0;
        excess = recentLogBudget.used() - target) {
      if (evictionNext == evictionOrder.size()) {
        if (sorted) {
          break; // no other app has anything left
        }
        evictionOrder = byActivity(apps.values(), a -> a.recentLogs.bytes() > 0);
        evictionNext = 0;
        sorted = true;
        continue;
      }
      Activity next = evictionOrder.get(evictionNext);
      AppSinks app = next.app();
      if (app == appending || app.lastActiveNanos != next.lastActiveNanos()) {
        evictionNext++;
        continue;
      }
      evicted += app.recentLogs.evictOldest(excess, 0);
      if (app.recentLogs.bytes() == 0) {
        evictionNext++;
      }
    }
    long excess = recentLogBudget.used() - target;
    if (excess > 0) {
      evicted += appending.recentLogs.evictOldest(excess, 1);
    }
    counters.totalBudgetEvictions.add(evicted);
    return evicted;
  }

  /** An app and its last activity as it was when read. */
  private record Activity(long lastActiveNanos, AppSinks app) {}

  /**
   * The apps that pass {@code filter}, least recently active first. Each app's last activity is
   * read once, before sorting: sorting by the live field, which receiving threads move on
   * meanwhile, would break the comparator's contract (TimSort may throw "Comparison method violates
   * its general contract").
   */
  static List<AppSinks> leastRecentlyActiveFirst(
      Collection<AppSinks> apps, Predicate<AppSinks> filter) {
    List<Activity> sorted = byActivity(apps, filter);
    List<AppSinks> result = new ArrayList<>(sorted.size());
    for (Activity activity : sorted) {
      result.add(activity.app());
    }
    return result;
  }

  /** Like {@link #leastRecentlyActiveFirst}, with the activity each app was sorted by. */
  private static List<Activity> byActivity(Collection<AppSinks> apps, Predicate<AppSinks> filter) {
    List<Activity> snapshot = new ArrayList<>();
    for (AppSinks app : apps) {
      if (filter.test(app)) {
        snapshot.add(new Activity(app.lastActiveNanos, app));
      }
    }
    snapshot.sort(Comparator.comparingLong(Activity::lastActiveNanos));
    return snapshot;
  }

  /**
   * Evicts a batch of the least recently active apps without subscribers, so that the app count is
   * at most the cap again, with a little room to spare so that eviction is not per envelope; never
   * {@code tracked}, the app just tracked (null: none).
   */
  private synchronized void evictLeastRecentlyActive(AppSinks tracked) {
    int excess = apps.size() - retention.maxApps();
    if (excess <= 0) {
      return;
    }
    int batch = excess + Math.max(1, retention.maxApps() / 100);
    int evicted = 0;
    for (AppSinks app :
        leastRecentlyActiveFirst(apps.values(), a -> a != tracked && a.subscriberCount() == 0)) {
      if (evicted >= batch) {
        break;
      }
      if (forget(app, a -> true)) {
        evicted++;
        counters.evictedApps.increment();
      }
    }
  }

  /**
   * Forgets an app, still the tracked one, that nobody is subscribed to and that passes {@code
   * condition}, all checked under the map's lock for its id, which {@link #subscribe} takes too;
   * its ring gives its bytes back.
   *
   * @return true if it was forgotten
   */
  private boolean forget(AppSinks app, Predicate<AppSinks> condition) {
    boolean[] removed = {false};
    apps.computeIfPresent(
        app.appId,
        (id, current) -> {
          if (current != app || current.subscriberCount() > 0 || !condition.test(current)) {
            return current;
          }
          removed[0] = true;
          return null;
        });
    if (removed[0]) {
      app.release();
    }
    return removed[0];
  }

  /**
   * Forgets apps silent for the app TTL that nobody is subscribed to, and container metrics older
   * than their TTL. Call it periodically, from one thread.
   */
  void sweep() {
    long now = nanoClock.getAsLong();
    Predicate<AppSinks> silent = a -> now - a.lastActiveNanos > retention.appTtlNanos();
    for (AppSinks app : apps.values()) {
      app.expireContainerMetrics(now, retention.containerMetricTtlNanos());
      if (silent.test(app) && app.subscriberCount() == 0 && forget(app, silent)) {
        counters.expiredApps.increment();
      }
    }
  }

  /**
   * Adds a stream subscriber of an app, tracking the app if it is not yet. It subscribes under the
   * map's lock for the app's id, which forgetting an app takes too, so an app is never forgotten
   * with a subscriber.
   */
  void subscribe(String appId, Subscriber subscriber) {
    apps.compute(
        appId,
        (id, current) -> {
          AppSinks app =
              current != null
                  ? current
                  : new AppSinks(
                      id, retention.recentLogs(), recentLogBudget, nanoClock.getAsLong());
          app.subscribe(subscriber);
          return app;
        });
    if (apps.size() > retention.maxApps()) {
      evictLeastRecentlyActive(null);
    }
  }

  /** Apps currently tracked. */
  int size() {
    return apps.size();
  }

  /** The apps currently tracked: a live view, weakly consistent. */
  Collection<AppSinks> all() {
    return apps.values();
  }

  /** Bytes held in all recent-log rings together, as the total budget counts them. */
  long recentLogBytes() {
    return recentLogBudget.used();
  }
}
