package org.loggregator.doppler.drain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bindings of one app: which URLs it is bound to, from which source, and the drains they run.
 * Bindings change under this object's monitor (every method but {@link #refreshIfSame} and {@link
 * #drains} must be called holding it); the hot path reads volatiles only. The app has at most
 * {@code maxPerApp} drains; a URL over that cap, over the doppler's, or not a valid drain URL is
 * refused and counted, and (for tags and configuration) told to the app once.
 */
final class AppBindings {
  private static final Logger LOG = Logger.getLogger(AppBindings.class.getName());
  private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** The tag value last seen for the app and the bindings it names. */
  private record SeenTag(byte[] tag, Binding[] bindings) {}

  final String appId;
  private final RunningDrains running;
  private final int maxPerApp;
  private final long ttlNanos;
  private final Map<String, Binding> bindings = new LinkedHashMap<>();
  private volatile Drain[] drains = new Drain[0];
  private volatile SeenTag lastTag;
  boolean removed;

  AppBindings(String appId, RunningDrains running) {
    this.appId = appId;
    this.running = running;
    this.maxPerApp = running.limits().maxPerApp();
    this.ttlNanos = running.limits().ttl().toNanos();
  }

  /** The app's running drains now; any thread. */
  Drain[] drains() {
    return drains;
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

  /** Binds each URL of a new tag value, as far as the caps allow. */
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
        binding.tagged = true;
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

  /** Binds a URL the operator configured; false when refused (counted and told). */
  boolean bindConfigured(DrainUrl url, long now) {
    forgetRefusal(url.text());
    Binding binding = bindings.get(url.text());
    if (binding == null) {
      binding = bindUrl(url.text(), url, now);
    }
    if (binding == null || binding.drain == null) {
      return false;
    }
    binding.configured = true;
    return true;
  }

  private Binding bindUrl(String text, DrainUrl url, long now) {
    if (drains.length >= maxPerApp) {
      return refuse(text, DrainCounters.Refusal.APP_LIMIT, overAppCap(url), now);
    }
    if (running.isClosed()) {
      return null; // stopping: bind nothing, tell nobody
    }
    Drain drain;
    try {
      drain = running.start(appId, url);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Cannot start the drain " + url.redacted() + ": " + e, e);
      return null;
    }
    if (drain == null) {
      return refuse(text, DrainCounters.Refusal.DOPPLER_LIMIT, overDopplerCap(url), now);
    }
    Binding binding = new Binding(drain, now);
    add(text, binding);
    return binding;
  }

  private String overAppCap(DrainUrl url) {
    return "Syslog drain "
        + url.redacted()
        + " is not bound: the app already has "
        + maxPerApp
        + " drains, the most allowed.";
  }

  private String overDopplerCap(DrainUrl url) {
    return "Syslog drain "
        + url.redacted()
        + " is not bound: this doppler already serves "
        + running.limits().maxDrains()
        + " drains, the most allowed.";
  }

  private Binding refuse(String text, DrainCounters.Refusal reason, String sentence, long now) {
    running.counters().countRefusal(reason);
    int remembered = bindings.size() - drains.length; // the bindings without a drain
    if (remembered >= DrainRegistry.MAX_REMEMBERED_REFUSALS) {
      return null;
    }
    running.tell(appId, sentence);
    Binding refused = new Binding(null, now);
    bindings.put(text, refused);
    return refused;
  }

  private void forgetRefusal(String text) {
    Binding binding = bindings.get(text);
    if (binding != null && binding.drain == null) {
      bindings.remove(text);
    }
  }

  /**
   * Replaces the app's admin bindings with these URLs, all or nothing: each is valid, and the app
   * and the doppler stay within their caps, or nothing changes.
   *
   * @return the URLs now bound through the admin API, redacted
   * @throws RefusedBindingException naming the first URL refused (counted, not told to the app)
   */
  Set<String> replaceAdmin(List<String> texts, long now) {
    Map<String, DrainUrl> wanted = new LinkedHashMap<>();
    for (String text : texts) {
      try {
        DrainUrl url = DrainUrl.parse(text);
        wanted.putIfAbsent(url.text(), url);
      } catch (InvalidDrainUrlException e) {
        throw refusedForAdmin(DrainCounters.Refusal.INVALID_URL, e.getMessage());
      }
    }
    List<String> leaving = new ArrayList<>();
    for (Map.Entry<String, Binding> entry : bindings.entrySet()) {
      Binding b = entry.getValue();
      if (b.admin && b.drain != null && !wanted.containsKey(entry.getKey()) && !kept(b, now)) {
        leaving.add(entry.getKey());
      }
    }
    List<DrainUrl> fresh = new ArrayList<>();
    int count = drains.length - leaving.size();
    for (DrainUrl url : wanted.values()) {
      Binding b = bindings.get(url.text());
      if (b == null || b.drain == null) {
        if (count >= maxPerApp) {
          throw refusedForAdmin(DrainCounters.Refusal.APP_LIMIT, overAppCap(url));
        }
        count++;
        fresh.add(url);
      }
    }
    if (running.isClosed()) {
      throw new IllegalStateException("The doppler is stopping.");
    }
    List<Drain> started = new ArrayList<>();
    for (DrainUrl url : fresh) {
      Drain drain = null;
      try {
        drain = running.start(appId, url);
      } finally {
        if (drain == null) {
          started.forEach(running::stop);
        }
      }
      if (drain == null) {
        throw refusedForAdmin(DrainCounters.Refusal.DOPPLER_LIMIT, overDopplerCap(url));
      }
      started.add(drain);
    }
    leaving.forEach(text -> unbind(text, "no longer bound through the admin API"));
    for (Binding b : bindings.values()) {
      b.admin = false;
    }
    int next = 0;
    for (DrainUrl url : fresh) {
      forgetRefusal(url.text());
      add(url.text(), new Binding(started.get(next++), now));
    }
    Set<String> bound = new LinkedHashSet<>();
    for (DrainUrl url : wanted.values()) {
      bindings.get(url.text()).admin = true;
      bound.add(url.redacted());
    }
    return bound;
  }

  private RefusedBindingException refusedForAdmin(DrainCounters.Refusal reason, String sentence) {
    running.counters().countRefusal(reason);
    return new RefusedBindingException(reason, sentence);
  }

  /** Removes the app's admin bindings; a URL also configured or named by a tag stays bound. */
  void removeAdmin(long now) {
    List<String> leaving = new ArrayList<>();
    for (Map.Entry<String, Binding> entry : bindings.entrySet()) {
      Binding b = entry.getValue();
      if (b.admin) {
        b.admin = false;
        if (!kept(b, now)) {
          leaving.add(entry.getKey());
        }
      }
    }
    leaving.forEach(text -> unbind(text, "no longer bound through the admin API"));
  }

  /** Whether a binding stays without its admin source: configured, or named by a live tag. */
  private boolean kept(Binding binding, long now) {
    return binding.configured || binding.namedByTag(now, ttlNanos);
  }

  /** The URLs bound through the admin API, redacted. */
  Set<String> adminUrls() {
    Set<String> urls = new LinkedHashSet<>();
    for (Binding b : bindings.values()) {
      if (b.admin) {
        urls.add(b.drain.url().redacted());
      }
    }
    return urls;
  }

  /** Removes the bindings from tags not named for the TTL. */
  void expire(long now) {
    List<String> leaving = new ArrayList<>();
    for (Map.Entry<String, Binding> entry : bindings.entrySet()) {
      Binding b = entry.getValue();
      if (!b.permanent() && now - b.lastSeenNanos > ttlNanos) {
        leaving.add(entry.getKey());
      }
    }
    String why = "not named for " + DrainText.format(running.limits().ttl());
    leaving.forEach(text -> unbind(text, why));
  }

  private void add(String text, Binding binding) {
    bindings.put(text, binding);
    Drain[] grown = Arrays.copyOf(drains, drains.length + 1);
    grown[grown.length - 1] = binding.drain;
    drains = grown;
    LOG.info("Drain bound for app " + appId + ": " + binding.drain.url().redacted());
  }

  private void unbind(String text, String why) {
    Binding binding = bindings.remove(text);
    if (binding.drain == null) {
      return;
    }
    running.stop(binding.drain);
    drains =
        bindings.values().stream()
            .filter(b -> b.drain != null)
            .map(b -> b.drain)
            .toArray(Drain[]::new);
    lastTag = null; // it may name the removed binding: the next envelope binds afresh
    LOG.info(
        "Drain unbound for app " + appId + " (" + why + "): " + binding.drain.url().redacted());
  }

  boolean isEmpty() {
    return bindings.isEmpty();
  }

  /** Stops every drain of the app and forgets every binding; returns the stopped drains. */
  List<Drain> clear() {
    List<Drain> stopped = new ArrayList<>();
    for (Binding binding : bindings.values()) {
      if (binding.drain != null) {
        running.stop(binding.drain);
        stopped.add(binding.drain);
      }
    }
    bindings.clear();
    drains = new Drain[0];
    lastTag = null;
    return stopped;
  }
}
