package org.loggregator.doppler.drain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.loggregator.protocol.LgrNotice;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.events.Envelope;

/**
 * The drains of every app this doppler owns, and their bindings: thread-safe. {@link #offer} is
 * called by every receiving thread and never blocks: it reads the envelope's {@code drain_urls}
 * tag, binds URLs it has not seen for the app (creating the drain and starting its writer), and
 * queues LogMessages on each of the app's drains.
 *
 * <p>A binding from a tag lives while envelopes keep naming it: {@link #sweep}, run periodically,
 * removes one not seen for the TTL. Static bindings (from the configuration) never expire. Each app
 * has at most {@code maxPerApp} drains and the doppler at most {@code maxDrains}; a URL over a cap,
 * or one that is not a valid drain URL, is refused, counted, and told to the app once (again if it
 * is still named after the TTL). Drop notices for drains that fell behind are written by {@link
 * #sweep} too, at most one per drain per sweep.
 */
public final class DrainRegistry implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DrainRegistry.class.getName());
  private static final int LOG_MESSAGE = Envelope.EventType.LogMessage_VALUE;
  private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

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
   */
  public record Limits(
      int queueCapacity, Duration ttl, int maxPerApp, int maxDrains, String hostname) {}

  private final ConcurrentHashMap<String, AppDrains> apps = new ConcurrentHashMap<>();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger[] activeByScheme = new AtomicInteger[DrainUrl.Scheme.values().length];
  private final Limits limits;
  private final long ttlNanos;
  private final Function<DrainUrl, DrainWriter> writers;
  private final ThreadFactory threads;
  private final DrainCounters counters;
  private final BiConsumer<String, byte[]> noticeSink;
  private final String origin;
  private final LongSupplier nanoClock;
  private final Supplier<RetryStrategy> retries;
  private volatile boolean closed;

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
      Supplier<RetryStrategy> retries) {
    this.limits = limits;
    this.ttlNanos = limits.ttl().toNanos();
    this.writers = writers;
    this.threads = threads;
    this.counters = counters;
    this.noticeSink = noticeSink;
    this.origin = origin;
    this.nanoClock = nanoClock;
    this.retries = retries;
    for (int i = 0; i < activeByScheme.length; i++) {
      activeByScheme[i] = new AtomicInteger();
    }
    new SyslogFormatter(limits.hostname()); // validates it now
  }

  /**
   * Routes one envelope that has an app id: binds the URLs of its {@code drain_urls} tag and queues
   * it on the app's drains if it is a LogMessage. Never blocks.
   *
   * @param envelope the envelope, a copy of its own that nobody changes
   * @param fields its routing fields; their offsets may point into another buffer (the datagram)
   */
  public void offer(byte[] envelope, RoutingFields fields) {
    if (closed || !fields.hasAppId()) {
      return;
    }
    String appId = fields.appId();
    AppDrains app = apps.get(appId);
    if (fields.hasDrainUrls() && (app != null || fields.drainUrlsLength() > 0)) {
      long now = nanoClock.getAsLong();
      if (app == null
          || !app.refreshIfSame(
              fields.buffer(), fields.drainUrlsOffset(), fields.drainUrlsLength(), now)) {
        app =
            bind(
                appId,
                Arrays.copyOfRange(
                    fields.buffer(),
                    fields.drainUrlsOffset(),
                    fields.drainUrlsOffset() + fields.drainUrlsLength()),
                now);
      }
    }
    if (app != null && fields.eventType() == LOG_MESSAGE) {
      for (Drain drain : app.drains) {
        drain.offer(envelope);
      }
    }
  }

  /**
   * Binds a drain that never expires, as the operator configured it.
   *
   * @return false if it was refused (over a cap); the refusal is counted and told to the app
   */
  public boolean bindStatic(String appId, DrainUrl url) {
    while (true) {
      AppDrains app = apps.computeIfAbsent(appId, AppDrains::new);
      synchronized (app) {
        if (app.removed) {
          continue;
        }
        Binding binding = app.bindings.get(url.text());
        if (binding == null) {
          binding = app.bindUrl(url.text(), url, nanoClock.getAsLong());
        }
        if (binding == null) {
          return false;
        }
        binding.permanent = true;
        return binding.drain != null;
      }
    }
  }

  private AppDrains bind(String appId, byte[] tag, long now) {
    while (true) {
      AppDrains app = apps.computeIfAbsent(appId, AppDrains::new);
      synchronized (app) {
        if (app.removed) {
          continue; // swept away in between: bind into its successor
        }
        app.rebind(tag, now);
        return app;
      }
    }
  }

  /**
   * Removes bindings not seen for the TTL (closing their drains) and tells each app how many lines
   * its drains dropped since the last sweep. Call it periodically, from one thread.
   */
  public void sweep() {
    long now = nanoClock.getAsLong();
    for (AppDrains app : apps.values()) {
      synchronized (app) {
        app.expire(now);
        if (app.bindings.isEmpty()) {
          app.removed = true;
          apps.remove(app.appId, app);
        }
      }
      for (Drain drain : app.drains) {
        long dropped = drain.takeDropped();
        if (dropped > 0) {
          notice(app.appId, LgrNotice.droppedMessages(dropped, "drain " + drain.url().redacted()));
        }
      }
    }
  }

  /** Closes every drain and waits for their writers to end, at most {@code millis} in all. */
  public void close(long millis) {
    closed = true;
    List<Drain> all = new ArrayList<>();
    for (AppDrains app : apps.values()) {
      synchronized (app) {
        app.removed = true;
        for (Binding binding : app.bindings.values()) {
          if (binding.drain != null) {
            all.add(binding.drain);
            release(binding.drain);
          }
        }
        app.bindings.clear();
        app.drains = new Drain[0];
        app.lastTag = null;
      }
    }
    apps.clear();
    all.forEach(Drain::close);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    try {
      for (Drain drain : all) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || !drain.awaitStopped(left)) {
          LOG.warning("A drain writer did not stop in time: " + drain.url().redacted());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(5000);
  }

  /** Active drains, over all apps. */
  public int activeDrains() {
    return active.get();
  }

  /** Active drains of one scheme. */
  public int activeDrains(DrainUrl.Scheme scheme) {
    return activeByScheme[scheme.ordinal()].get();
  }

  /** The drains of an app now (for tests and diagnostics). */
  public List<Drain> drainsOf(String appId) {
    AppDrains app = apps.get(appId);
    return app == null ? List.of() : List.of(app.drains);
  }

  private void notice(String appId, String text) {
    counters.notices.increment();
    noticeSink.accept(appId, LgrNotice.envelope(origin, appId, text, LgrNotice.nowNanos()));
  }

  private boolean reserve() {
    while (true) {
      int n = active.get();
      if (n >= limits.maxDrains()) {
        return false;
      }
      if (active.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  private void release(Drain drain) {
    active.decrementAndGet();
    activeByScheme[drain.url().scheme().ordinal()].decrementAndGet();
  }

  /** One app's URL, bound to a drain or refused (then {@code drain} is null). */
  private static final class Binding {
    final Drain drain;
    volatile long lastSeenNanos;
    boolean permanent; // guarded by the app

    Binding(Drain drain, long now) {
      this.drain = drain;
      this.lastSeenNanos = now;
    }
  }

  /** The tag value last seen for an app and the bindings it names. */
  private record SeenTag(byte[] tag, Binding[] bindings) {}

  /** The bindings of one app; bindings change under its monitor, the hot path reads volatiles. */
  private final class AppDrains {
    final String appId;
    final Map<String, Binding> bindings = new LinkedHashMap<>();
    volatile Drain[] drains = new Drain[0];
    volatile SeenTag lastTag;
    boolean removed;
    int refusals;

    AppDrains(String appId) {
      this.appId = appId;
    }

    /** If the tag is the one seen last, marks its bindings seen; false when it is another. */
    boolean refreshIfSame(byte[] buffer, int offset, int length, long now) {
      SeenTag seen = lastTag;
      if (seen == null
          || !Arrays.equals(seen.tag, 0, seen.tag.length, buffer, offset, offset + length)) {
        return false;
      }
      for (Binding binding : seen.bindings) {
        if (now - binding.lastSeenNanos > REFRESH_NANOS) {
          binding.lastSeenNanos = now;
        }
      }
      return true;
    }

    /** Binds each URL of a new tag value, as far as the caps allow. Under the monitor. */
    void rebind(byte[] tag, long now) {
      Set<String> urls = new LinkedHashSet<>();
      for (String text : new String(tag, StandardCharsets.UTF_8).split("\\s+")) {
        if (!text.isEmpty()) {
          urls.add(text);
        }
      }
      List<Binding> named = new ArrayList<>(urls.size());
      for (String text : urls) {
        Binding binding = bindings.get(text);
        if (binding == null) {
          binding = bindText(text, now);
        }
        if (binding != null) {
          binding.lastSeenNanos = now;
          named.add(binding);
        }
      }
      lastTag = new SeenTag(tag, named.toArray(Binding[]::new));
    }

    private Binding bindText(String text, long now) {
      DrainUrl url;
      try {
        url = DrainUrl.parse(text);
      } catch (InvalidDrainUrlException e) {
        return refuse(text, DrainCounters.Refusal.INVALID_URL, e.getMessage() + "", now);
      }
      return bindUrl(text, url, now);
    }

    Binding bindUrl(String text, DrainUrl url, long now) {
      if (drains.length >= limits.maxPerApp()) {
        return refuse(
            text,
            DrainCounters.Refusal.APP_LIMIT,
            "Syslog drain "
                + url.redacted()
                + " is not bound: the app already has "
                + limits.maxPerApp()
                + " drains, the most allowed.",
            now);
      }
      if (closed) {
        return null; // stopping: bind nothing, tell nobody
      }
      if (!reserve()) {
        return refuse(
            text,
            DrainCounters.Refusal.DOPPLER_LIMIT,
            "Syslog drain "
                + url.redacted()
                + " is not bound: this doppler already serves "
                + limits.maxDrains()
                + " drains, the most allowed.",
            now);
      }
      activeByScheme[url.scheme().ordinal()].incrementAndGet();
      Drain drain = null;
      try {
        drain =
            new Drain(
                appId,
                url,
                writers.apply(url),
                limits.queueCapacity(),
                new SyslogFormatter(limits.hostname()),
                retries.get(),
                counters.of(url.scheme()),
                DrainRegistry.this::notice);
        drain.start(threads);
      } catch (RuntimeException e) {
        if (drain != null) {
          drain.close();
        }
        active.decrementAndGet();
        activeByScheme[url.scheme().ordinal()].decrementAndGet();
        LOG.log(Level.WARNING, "Cannot start the drain " + url.redacted() + ": " + e, e);
        return null;
      }
      Binding binding = new Binding(drain, now);
      bindings.put(text, binding);
      Drain[] grown = Arrays.copyOf(drains, drains.length + 1);
      grown[grown.length - 1] = drain;
      drains = grown;
      LOG.info("Drain bound for app " + appId + ": " + url.redacted());
      return binding;
    }

    private Binding refuse(String text, DrainCounters.Refusal reason, String sentence, long now) {
      counters.countRefusal(reason);
      if (refusals >= MAX_REMEMBERED_REFUSALS) {
        return null;
      }
      refusals++;
      notice(appId, sentence);
      Binding refused = new Binding(null, now);
      bindings.put(text, refused);
      return refused;
    }

    /** Removes bindings not seen for the TTL. Under the monitor. */
    void expire(long now) {
      boolean changed = false;
      for (var it = bindings.values().iterator(); it.hasNext(); ) {
        Binding binding = it.next();
        if (!binding.permanent && now - binding.lastSeenNanos > ttlNanos) {
          it.remove();
          changed = true;
          if (binding.drain == null) {
            refusals--;
          } else {
            binding.drain.close();
            release(binding.drain);
            LOG.info(
                "Drain unbound for app "
                    + appId
                    + " (not named for "
                    + Drain.format(limits.ttl())
                    + "): "
                    + binding.drain.url().redacted());
          }
        }
      }
      if (changed) {
        drains =
            bindings.values().stream()
                .filter(b -> b.drain != null)
                .map(b -> b.drain)
                .toArray(Drain[]::new);
        lastTag = null; // it may name a removed binding: the next envelope binds afresh
      }
    }
  }
}
