package org.loggregator.doppler.routing;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.loggregator.doppler.drain.DrainRegistry;
import org.loggregator.ingress.EnvelopeHandler;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.sink.FirehoseGroup;
import org.loggregator.sink.Subscriber;

/**
 * Routes each verified envelope to everything that wants it: the firehose groups, and by app id,
 * the app's recent-log ring (LogMessages), its latest container metrics, and its stream
 * subscribers. Thread-safe; called by every receiving thread at once, and never blocks: every
 * consumer behind it has its own lossy queue.
 *
 * <p>Memory is bounded: an app silent for the app TTL is forgotten by {@link #sweep}, and past the
 * app cap the least recently active apps without subscribers are evicted.
 */
public final class EnvelopeRouter implements EnvelopeHandler {
  private static final int EVENT_LOG_MESSAGE = Envelope.EventType.LogMessage_VALUE;
  private static final int EVENT_CONTAINER_METRIC = Envelope.EventType.ContainerMetric_VALUE;

  private final ConcurrentHashMap<String, AppSinks> apps = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, FirehoseGroup> firehoseGroups = new ConcurrentHashMap<>();
  private volatile FirehoseGroup[] firehoses = new FirehoseGroup[0];
  private final int recentLogs;
  private final int maxApps;
  private final long appTtlNanos;
  private final long containerMetricTtlNanos;
  private final LongSupplier nanoClock;
  private final RouterCounters counters;
  private volatile DrainRegistry drains;

  /**
   * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime} outside tests)
   */
  public EnvelopeRouter(
      int recentLogs,
      int maxApps,
      long appTtlNanos,
      long containerMetricTtlNanos,
      LongSupplier nanoClock,
      RouterCounters counters) {
    this.recentLogs = recentLogs;
    this.maxApps = maxApps;
    this.appTtlNanos = appTtlNanos;
    this.containerMetricTtlNanos = containerMetricTtlNanos;
    this.nanoClock = nanoClock;
    this.counters = counters;
  }

  @Override
  public void onEnvelope(byte[] datagram, int offset, int length, RoutingFields fields) {
    byte[] envelope = new byte[length];
    System.arraycopy(datagram, offset, envelope, 0, length);
    route(envelope, fields);
  }

  /** Routes an envelope that is already a copy of its own; its routing fields are given. */
  public void route(byte[] envelope, RoutingFields fields) {
    for (FirehoseGroup group : firehoses) {
      group.offer(envelope);
    }
    if (!fields.hasAppId()) {
      return;
    }
    long now = nanoClock.getAsLong();
    AppSinks app = apps.get(fields.appId());
    if (app == null) {
      app = track(fields.appId(), now);
    }
    app.lastActiveNanos = now;
    int eventType = fields.eventType();
    if (eventType == EVENT_LOG_MESSAGE) {
      app.recentLogs.append(envelope);
    } else if (eventType == EVENT_CONTAINER_METRIC) {
      keepContainerMetric(app, envelope, now);
    }
    app.offerToSubscribers(envelope);
    DrainRegistry appDrains = drains;
    if (appDrains != null) {
      appDrains.offer(envelope, fields);
    }
  }

  /**
   * From now on, also hands every envelope with an app id to these drains, which bind the URLs of
   * its {@code drain_urls} tag and queue its LogMessages. Set it before traffic starts.
   */
  public void drainTo(DrainRegistry drainRegistry) {
    this.drains = drainRegistry;
  }

  /**
   * Puts a notice the system writes (PROTOCOL.md §5) into an app's stream: its recent logs and its
   * live subscribers, not its drains. Thread-safe and non-blocking, like {@link #route}.
   */
  public void injectNotice(String appId, byte[] envelope) {
    long now = nanoClock.getAsLong();
    AppSinks app = apps.get(appId);
    if (app == null) {
      app = track(appId, now);
    }
    app.recentLogs.append(envelope);
    app.offerToSubscribers(envelope);
  }

  private AppSinks track(String appId, long now) {
    AppSinks created = new AppSinks(appId, recentLogs, now);
    AppSinks existing = apps.putIfAbsent(appId, created);
    if (existing != null) {
      return existing;
    }
    if (apps.size() > maxApps) {
      evictLeastRecentlyActive(now);
    }
    return created;
  }

  private void keepContainerMetric(AppSinks app, byte[] envelope, long now) {
    try {
      int instance = Envelope.parseFrom(envelope).getContainerMetric().getInstanceIndex();
      app.containerMetrics.put(instance, new AppSinks.TimedEnvelope(envelope, now));
    } catch (InvalidProtocolBufferException e) {
      // The reader accepted it, so this cannot happen; the stream still gets it.
    }
  }

  /**
   * Evicts a batch of the least recently active apps without subscribers, so that the app count is
   * at most the cap again, with a little room to spare so that eviction is not per envelope.
   */
  private synchronized void evictLeastRecentlyActive(long now) {
    int excess = apps.size() - maxApps;
    if (excess <= 0) {
      return;
    }
    int batch = excess + Math.max(1, maxApps / 100);
    List<AppSinks> candidates = new ArrayList<>(apps.values());
    candidates.removeIf(a -> a.subscriberCount() > 0);
    candidates.sort(Comparator.comparingLong(a -> a.lastActiveNanos));
    for (int i = 0; i < Math.min(batch, candidates.size()); i++) {
      if (apps.remove(candidates.get(i).appId, candidates.get(i))) {
        counters.evictedApps.increment();
      }
    }
  }

  /**
   * Forgets apps silent for the app TTL that nobody is subscribed to, and container metrics older
   * than their TTL. Call it periodically, from one thread.
   */
  public void sweep() {
    long now = nanoClock.getAsLong();
    for (AppSinks app : apps.values()) {
      app.expireContainerMetrics(now, containerMetricTtlNanos);
      if (now - app.lastActiveNanos > appTtlNanos && app.subscriberCount() == 0) {
        if (apps.remove(app.appId, app)) {
          counters.expiredApps.increment();
        }
      }
    }
  }

  /** The recent logs of an app, oldest first by envelope timestamp; empty for an unknown app. */
  public List<byte[]> recentLogs(String appId) {
    AppSinks app = apps.get(appId);
    if (app == null) {
      return List.of();
    }
    List<byte[]> envelopes = app.recentLogs.snapshot();
    return sortedByTimestamp(envelopes);
  }

  /** The latest ContainerMetric of each instance of an app, within the TTL. */
  public List<byte[]> containerMetrics(String appId) {
    AppSinks app = apps.get(appId);
    return app == null
        ? List.of()
        : app.containerMetrics(nanoClock.getAsLong(), containerMetricTtlNanos);
  }

  /** Sorts envelopes by their timestamp, stably, reading only that field. */
  public static List<byte[]> sortedByTimestamp(List<byte[]> envelopes) {
    EnvelopeReader reader = new EnvelopeReader();
    RoutingFields fields = new RoutingFields();
    record Stamped(long timestamp, byte[] envelope) {}
    List<Stamped> stamped = new ArrayList<>(envelopes.size());
    for (byte[] envelope : envelopes) {
      long timestamp =
          reader.read(envelope, 0, envelope.length, fields) == ReadResult.OK
              ? fields.timestamp()
              : 0;
      stamped.add(new Stamped(timestamp, envelope));
    }
    stamped.sort(Comparator.comparingLong(Stamped::timestamp));
    return stamped.stream().map(Stamped::envelope).toList();
  }

  /** Adds a stream subscriber of an app; it receives envelopes from now on. */
  public void subscribe(String appId, Subscriber subscriber) {
    AppSinks app =
        apps.computeIfAbsent(appId, id -> new AppSinks(id, recentLogs, nanoClock.getAsLong()));
    app.subscribe(subscriber);
    // Eviction skips apps with subscribers; if it removed this one in between, put it back.
    apps.putIfAbsent(appId, app);
  }

  public void unsubscribe(String appId, Subscriber subscriber) {
    AppSinks app = apps.get(appId);
    if (app != null) {
      app.unsubscribe(subscriber);
    }
  }

  /** Adds a connection to a firehose subscription; connections of one id share the stream. */
  public synchronized void subscribeFirehose(String subscriptionId, Subscriber subscriber) {
    FirehoseGroup group = firehoseGroups.computeIfAbsent(subscriptionId, id -> new FirehoseGroup());
    group.join(subscriber);
    firehoses = firehoseGroups.values().toArray(FirehoseGroup[]::new);
  }

  public synchronized void unsubscribeFirehose(String subscriptionId, Subscriber subscriber) {
    FirehoseGroup group = firehoseGroups.get(subscriptionId);
    if (group != null && group.leave(subscriber)) {
      firehoseGroups.remove(subscriptionId);
      firehoses = firehoseGroups.values().toArray(FirehoseGroup[]::new);
    }
  }

  /** Apps currently tracked. */
  public int appCount() {
    return apps.size();
  }

  /** Envelopes held in all recent-log rings. */
  public long recentEnvelopes() {
    long total = 0;
    for (AppSinks app : apps.values()) {
      total += app.recentLogs.size();
    }
    return total;
  }

  /** Live stream subscribers over all apps. */
  public int streamSubscriberCount() {
    int total = 0;
    for (AppSinks app : apps.values()) {
      total += app.subscriberCount();
    }
    return total;
  }

  /** Live firehose connections over all subscription ids. */
  public int firehoseSubscriberCount() {
    int total = 0;
    for (FirehoseGroup group : firehoses) {
      total += group.size();
    }
    return total;
  }
}
