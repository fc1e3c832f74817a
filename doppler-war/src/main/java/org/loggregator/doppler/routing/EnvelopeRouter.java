package org.loggregator.doppler.routing;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.loggregator.doppler.drain.DrainRegistry;
import org.loggregator.doppler.sink.RecentLogBudget;
import org.loggregator.ingress.EnvelopeHandler;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RecentLogsQuery;
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
 * <p>Memory is bounded: the apps it keeps are an {@code AppTable}, bounded in number (apps silent
 * for the app TTL are forgotten by {@link #sweep}, and past the app cap the least recently active
 * without subscribers are evicted) and in recent-log bytes (each app's ring by a count and by
 * bytes, all rings together by a total of bytes). Each app keeps the latest ContainerMetric of at
 * most so many instances, within so many bytes.
 */
public final class EnvelopeRouter implements EnvelopeHandler {
  private static final int EVENT_CONTAINER_METRIC = Envelope.EventType.ContainerMetric_VALUE;

  private final AppTable apps;
  private final ConcurrentHashMap<String, FirehoseGroup> firehoseGroups = new ConcurrentHashMap<>();
  private volatile FirehoseGroup[] firehoses = new FirehoseGroup[0];
  private final long containerMetricTtlNanos;
  private final LongSupplier nanoClock;
  private final RouterCounters counters;
  private final Budgets budgets;
  private volatile DrainRegistry drains;

  /**
   * The byte budgets of what the router keeps.
   *
   * @param recentLogBytes bytes one app's ring holds (or one larger envelope alone)
   * @param recentLogsTotalBytes bytes all rings hold together
   * @param maxInstancesPerApp instances whose latest ContainerMetric an app keeps
   * @param containerMetricBytes bytes of latest ContainerMetrics an app keeps
   */
  public record Budgets(
      long recentLogBytes,
      long recentLogsTotalBytes,
      int maxInstancesPerApp,
      long containerMetricBytes) {
    /** Bounds by count only, as before byte budgets: for tests and benchmarks. */
    public static final Budgets UNLIMITED =
        new Budgets(
            RecentLogBudget.UNLIMITED,
            RecentLogBudget.UNLIMITED,
            Integer.MAX_VALUE,
            RecentLogBudget.UNLIMITED);

    public Budgets {
      if (recentLogBytes < 1
          || recentLogsTotalBytes < 1
          || maxInstancesPerApp < 1
          || containerMetricBytes < 1) {
        throw new IllegalArgumentException("Every router budget must be at least 1.");
      }
    }
  }

  /**
   * What the router keeps, by count and for how long.
   *
   * @param recentLogs envelopes kept per app
   * @param maxApps apps tracked
   * @param appTtlNanos how long an app nobody subscribes to is kept after its last envelope
   * @param containerMetricTtlNanos how long an instance's latest ContainerMetric is kept
   */
  public record Retention(
      int recentLogs, int maxApps, long appTtlNanos, long containerMetricTtlNanos) {}

  /**
   * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime} outside tests)
   * @param budgets the byte budgets of rings and container metrics ({@link Budgets#UNLIMITED}
   *     bounds by count only)
   */
  public EnvelopeRouter(
      Retention retention, LongSupplier nanoClock, RouterCounters counters, Budgets budgets) {
    this.containerMetricTtlNanos = retention.containerMetricTtlNanos();
    this.nanoClock = nanoClock;
    this.counters = counters;
    this.budgets = budgets;
    this.apps = new AppTable(retention, nanoClock, counters, budgets);
  }

  /**
   * Copies the envelope out of the receive buffer and routes it. An agent's transit trailer, the
   * envelope's last field, is left out of the copy: nobody past the doppler sees it.
   */
  @Override
  public void onEnvelope(byte[] datagram, int offset, int length, RoutingFields fields) {
    int kept = fields.transitStart() < 0 ? length : fields.transitStart() - offset;
    byte[] envelope = new byte[kept];
    System.arraycopy(datagram, offset, envelope, 0, kept);
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
    AppSinks app = apps.track(fields.appId(), now);
    app.lastActiveNanos = now;
    int eventType = fields.eventType();
    if (eventType == RoutingFields.LOG_MESSAGE) {
      app = apps.keepRecent(app, envelope, now);
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
   * Puts a notice the system writes (docs/PROTOCOL.md, LGR notices) into an app's stream: its
   * recent logs and its live subscribers, not its drains. Thread-safe and non-blocking, like {@link
   * #route}.
   */
  public void injectNotice(String appId, byte[] envelope) {
    long now = nanoClock.getAsLong();
    AppSinks app = apps.track(appId, now);
    app = apps.keepRecent(app, envelope, now);
    app.offerToSubscribers(envelope);
  }

  private void keepContainerMetric(AppSinks app, byte[] envelope, long now) {
    int instance;
    try {
      instance = Envelope.parseFrom(envelope).getContainerMetric().getInstanceIndex();
    } catch (InvalidProtocolBufferException e) {
      return; // The reader accepted it, so this cannot happen; the stream still gets it.
    }
    switch (app.keepContainerMetric(
        instance,
        envelope,
        now,
        containerMetricTtlNanos,
        budgets.maxInstancesPerApp(),
        budgets.containerMetricBytes())) {
      case TOO_MANY_INSTANCES -> counters.droppedMetricsInstances.increment();
      case TOO_MANY_BYTES -> counters.droppedMetricsBytes.increment();
      case KEPT -> {}
    }
  }

  /**
   * Forgets apps silent for the app TTL that nobody is subscribed to, and container metrics older
   * than their TTL. Call it periodically, from one thread.
   */
  public void sweep() {
    apps.sweep();
  }

  /** The recent logs of an app, oldest first by envelope timestamp; empty for an unknown app. */
  public List<byte[]> recentLogs(String appId) {
    return recentLogs(appId, RecentLogsQuery.ALL);
  }

  /**
   * What {@code query} keeps of the recent logs of an app (those at or after its start time, the
   * newest within its limit), oldest first by envelope timestamp; empty for an unknown app.
   */
  public List<byte[]> recentLogs(String appId, RecentLogsQuery query) {
    AppSinks app = apps.get(appId);
    if (app == null) {
      return List.of();
    }
    return query.select(sortedByTimestamp(app.recentLogs.snapshot()));
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

  /**
   * Adds a stream subscriber of an app; it receives envelopes from now on. It subscribes under the
   * map's lock for the app's id, which forgetting an app takes too, so an app is never forgotten
   * with a subscriber.
   */
  public void subscribe(String appId, Subscriber subscriber) {
    apps.subscribe(appId, subscriber);
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
    for (AppSinks app : apps.all()) {
      total += app.recentLogs.size();
    }
    return total;
  }

  /** Bytes held in all recent-log rings together, as the total budget counts them. */
  public long recentLogBytes() {
    return apps.recentLogBytes();
  }

  /** Bytes of the latest ContainerMetrics kept, over all apps. */
  public long containerMetricBytes() {
    long total = 0;
    for (AppSinks app : apps.all()) {
      total += app.containerMetricBytes();
    }
    return total;
  }

  /** Live stream subscribers over all apps. */
  public int streamSubscriberCount() {
    int total = 0;
    for (AppSinks app : apps.all()) {
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
