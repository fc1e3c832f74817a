package org.loggregator.doppler.drain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.loggregator.liveness.Liveness;
import org.loggregator.protocol.LgrNotice;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.retry.Backoff;
import org.loggregator.sink.ManyToOneDropOldestQueue;

/**
 * The drains of every app this doppler owns, and how they were bound: thread-safe. {@link #offer}
 * is called by every receiving thread and never blocks: it reads the envelope's {@code drain_urls}
 * tag, binds URLs it has not seen for the app (creating the drain and starting its writer), and
 * queues LogMessages on each of the app's drains.
 *
 * <p>Three sources bind: a tag (while envelopes keep naming it: {@link #sweep}, run periodically,
 * removes one not seen for the TTL; ignored, and counted as refused, when binding by tag is off),
 * the operator's configuration ({@link #bindStatic}) and the admin API ({@link #bindAdmin}); the
 * last two never expire. Each app has at most {@code maxPerApp} drains and the doppler at most
 * {@code maxDrains}; a URL over a cap, or one that is not a valid drain URL, is refused and counted
 * (see {@link AppBindings}). Drop notices for drains that fell behind are written by {@link
 * #sweep}, at most one per drain per sweep. The drains themselves run in {@link RunningDrains}.
 */
public final class DrainRegistry implements AutoCloseable, Liveness.Check {

  /** Refused URLs remembered per app, so that each is told once; more are refused silently. */
  static final int MAX_REMEMBERED_REFUSALS = 32;

  /**
   * The limits of a registry.
   *
   * @param queueCapacity envelopes queued per drain before the oldest are dropped
   * @param ttl how long a binding from a tag lives without being named again
   * @param maxPerApp drains per app
   * @param maxDrains drains on this doppler
   * @param hostname the syslog HOSTNAME field
   * @param queueBytes bytes of envelopes queued per drain before the oldest are dropped ({@link
   *     ManyToOneDropOldestQueue#UNLIMITED_BYTES}: no byte budget)
   * @param bindFromTags whether envelopes' {@code drain_urls} tags bind drains
   */
  public record Limits(
      int queueCapacity,
      Duration ttl,
      int maxPerApp,
      int maxDrains,
      String hostname,
      long queueBytes,
      boolean bindFromTags) {

    /** Limits without a byte budget per queue, that bind from tags (tests and benchmarks). */
    public Limits(int queueCapacity, Duration ttl, int maxPerApp, int maxDrains, String hostname) {
      this(
          queueCapacity,
          ttl,
          maxPerApp,
          maxDrains,
          hostname,
          ManyToOneDropOldestQueue.UNLIMITED_BYTES,
          true);
    }
  }

  private final ConcurrentHashMap<String, AppBindings> apps = new ConcurrentHashMap<>();
  private final RunningDrains running;
  private final DrainCounters counters;
  private final boolean bindFromTags;
  private final LongSupplier nanoClock;

  /**
   * @param writers creates the writer of a new drain, such as {@link DrainWriters}
   * @param threads gives each drain its writer thread
   * @param noticeSink puts a notice envelope into an app's stream: (app id, envelope)
   * @param origin the origin of notice envelopes
   * @param nanoClock monotonic nanoseconds ({@code System::nanoTime} outside tests)
   * @param retries a new backoff for each drain
   */
  public DrainRegistry(
      Limits limits,
      Function<DrainUrl, DrainWriter> writers,
      ThreadFactory threads,
      DrainCounters counters,
      BiConsumer<String, byte[]> noticeSink,
      String origin,
      LongSupplier nanoClock,
      Supplier<Backoff> retries) {
    this.running =
        new RunningDrains(limits, writers, threads, counters, noticeSink, origin, retries);
    this.counters = counters;
    this.bindFromTags = limits.bindFromTags();
    this.nanoClock = nanoClock;
  }

  /**
   * Routes one envelope that has an app id: binds the URLs of its {@code drain_urls} tag and queues
   * it on the app's drains if it is a LogMessage. Never blocks.
   *
   * @param envelope the envelope, a copy of its own that nobody changes
   * @param fields its routing fields; their offsets may point into another buffer (the datagram)
   */
  public void offer(byte[] envelope, RoutingFields fields) {
    if (running.isClosed() || !fields.hasAppId()) {
      return;
    }
    String appId = fields.appId();
    AppBindings app = apps.get(appId);
    if (fields.hasDrainUrls() && !bindFromTags) {
      if (fields.drainUrlsLength() > 0) {
        counters.countRefusal(DrainCounters.Refusal.TAGS_DISABLED);
      }
    } else if (fields.hasDrainUrls() && (app != null || fields.drainUrlsLength() > 0)) {
      long now = nanoClock.getAsLong();
      if (app == null
          || !app.refreshIfSame(
              fields.buffer(), fields.drainUrlsOffset(), fields.drainUrlsLength(), now)) {
        byte[] tag =
            Arrays.copyOfRange(
                fields.buffer(),
                fields.drainUrlsOffset(),
                fields.drainUrlsOffset() + fields.drainUrlsLength());
        app =
            underLock(
                appId,
                a -> {
                  a.rebind(tag, now);
                  return a;
                });
      }
    }
    if (app != null && fields.eventType() == RoutingFields.LOG_MESSAGE) {
      for (Drain drain : app.drains()) {
        drain.offer(envelope);
      }
    }
  }

  /** Runs the action on the app's bindings under their monitor, creating them when needed. */
  private <T> T underLock(String appId, Function<AppBindings, T> action) {
    while (true) {
      AppBindings app = apps.computeIfAbsent(appId, id -> new AppBindings(id, running));
      synchronized (app) {
        if (app.removed) {
          continue; // swept away in between: bind into its successor
        }
        return action.apply(app);
      }
    }
  }

  /**
   * Binds a drain that never expires, as the operator configured it.
   *
   * @return false if it was refused (over a cap); the refusal is counted and told to the app
   */
  public boolean bindStatic(String appId, DrainUrl url) {
    return underLock(appId, app -> app.bindConfigured(url, nanoClock.getAsLong()));
  }

  /**
   * Replaces the app's admin bindings with these URLs (an empty list removes them all). They are
   * validated as tag bindings are and must fit within the app's and the doppler's caps; all of them
   * are bound, or none and nothing changes. Admin bindings never expire. A URL that is also
   * configured or named by a tag stays bound when the admin binding goes.
   *
   * @param urls the drain URLs, duplicates counted once
   * @return the URLs now bound through the admin API for the app, redacted ({@code
   *     scheme://host:port}), in the order given
   * @throws RefusedBindingException for the first URL refused (invalid, or over a cap), with one
   *     sentence naming it redacted and why; the refusal is counted
   * @throws IllegalStateException when the doppler is stopping
   */
  public Set<String> bindAdmin(String appId, List<String> urls) {
    if (running.isClosed()) {
      throw new IllegalStateException("The doppler is stopping.");
    }
    return Collections.unmodifiableSet(
        underLock(appId, app -> app.replaceAdmin(urls, nanoClock.getAsLong())));
  }

  /**
   * Removes the app's admin bindings, closing their drains (a URL also configured or named by a tag
   * stays bound). Nothing happens when it has none.
   */
  public void unbindAdmin(String appId) {
    AppBindings app = apps.get(appId);
    if (app != null) {
      synchronized (app) {
        app.removeAdmin(nanoClock.getAsLong());
      }
    }
  }

  /** The admin bindings of every app that has some: app id to redacted URLs, by app id. */
  public Map<String, Set<String>> adminBindings() {
    Map<String, Set<String>> all = new TreeMap<>();
    for (AppBindings app : apps.values()) {
      Set<String> urls;
      synchronized (app) {
        urls = app.adminUrls();
      }
      if (!urls.isEmpty()) {
        all.put(app.appId, Collections.unmodifiableSet(urls));
      }
    }
    return Collections.unmodifiableMap(all);
  }

  /**
   * Removes bindings not seen for the TTL (closing their drains) and tells each app how many lines
   * its drains dropped since the last sweep. Call it periodically, from one thread.
   */
  public void sweep() {
    long now = nanoClock.getAsLong();
    for (AppBindings app : apps.values()) {
      synchronized (app) {
        app.expire(now);
        if (app.isEmpty()) {
          app.removed = true;
          apps.remove(app.appId, app);
        }
      }
      for (Drain drain : app.drains()) {
        long dropped = drain.takeDropped();
        if (dropped > 0) {
          running.tell(
              app.appId, LgrNotice.droppedMessages(dropped, "drain " + drain.url().redacted()));
        }
      }
    }
  }

  /** Closes every drain and waits for their writers to end, at most {@code millis} in all. */
  public void close(long millis) {
    running.closing();
    List<Drain> all = new ArrayList<>();
    for (AppBindings app : apps.values()) {
      synchronized (app) {
        app.removed = true;
        all.addAll(app.clear());
      }
    }
    apps.clear();
    RunningDrains.awaitStopped(all, millis);
  }

  @Override
  public void close() {
    close(5000);
  }

  /** Active drains, over all apps. */
  public int activeDrains() {
    return running.active();
  }

  /** Active drains of one scheme. */
  public int activeDrains(DrainUrl.Scheme scheme) {
    return running.active(scheme);
  }

  /**
   * Null while every drain's writer runs; else what ended the first one found (a liveness check: a
   * writer that ended delivers nothing more, so the doppler must be restarted).
   */
  public String problem(long nowNanos) {
    for (AppBindings app : apps.values()) {
      for (Drain drain : app.drains()) {
        String problem = drain.problem();
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }

  /** The drains of an app now (for tests and diagnostics). */
  public List<Drain> drainsOf(String appId) {
    AppBindings app = apps.get(appId);
    return app == null ? List.of() : List.of(app.drains());
  }
}
