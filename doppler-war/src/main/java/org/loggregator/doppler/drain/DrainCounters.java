package org.loggregator.doppler.drain;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import org.loggregator.doppler.drain.address.DenialReason;
import org.loggregator.ingress.ListenerCounters;
import org.loggregator.metrics.Counter;
import org.loggregator.metrics.MetricName;

/**
 * What the drains count, by URL scheme (tag {@code scheme}: syslog, syslog-tls, https), by the
 * reason a binding was refused, and by the reason a connection was denied; thread-safe. Drops are
 * also counted in the doppler's egress drop total.
 */
public final class DrainCounters {
  public static final MetricName SENT =
      MetricName.of("drain.sentMessages", "Log lines written to drains, by URL scheme.");
  public static final MetricName DROPPED =
      MetricName.of(
          "drain.droppedMessages",
          "Log lines a drain lost, by URL scheme: the oldest dropped from its queue when it fell"
              + " behind or was down, or a batch it refused; also counted in"
              + " messageRouter.totalDroppedMessages with direction=egress.");
  public static final MetricName ERRORS =
      MetricName.of(
          "drain.errors",
          "Failed connection attempts and failed writes to drains, by URL scheme; each is followed"
              + " by a backoff.");
  public static final MetricName REFUSED =
      MetricName.of(
          "drain.refusedBindings",
          "Drain bindings refused, by reason: invalidUrl, appLimit (too many drains for the app),"
              + " dopplerLimit (too many drains on this doppler) or tagsDisabled (an envelope's"
              + " drain_urls tag ignored because drain.bindFromTags is false).");
  public static final MetricName DENIED =
      MetricName.of(
          "drain.deniedConnections",
          "Drain connections not made because the address policy denied every address of the"
              + " drain's host, by reason: loopback, link_local, private, shared, multicast,"
              + " unspecified, broadcast, reserved, own_socket, operator_deny.");
  public static final MetricName NOTICES =
      MetricName.of(
          "drain.notices",
          "Notices written into apps' own streams about their drains: dropped lines, failed"
              + " connections, refused bindings.");

  /** Why a binding was refused, as its tag value. */
  public enum Refusal {
    INVALID_URL("invalidUrl"),
    APP_LIMIT("appLimit"),
    DOPPLER_LIMIT("dopplerLimit"),
    TAGS_DISABLED("tagsDisabled");

    final String tag;

    Refusal(String tag) {
      this.tag = tag;
    }
  }

  /** The counters of one scheme, and the denials (by reason, over every scheme). */
  public static final class PerScheme {
    final Counter sent;
    final Counter dropped;
    final Counter errors;
    private final Map<DenialReason, Counter> denied;

    PerScheme(Counter sent, Counter dropped, Counter errors, Map<DenialReason, Counter> denied) {
      this.sent = sent;
      this.dropped = dropped;
      this.errors = errors;
      this.denied = denied;
    }

    void countDenial(DenialReason reason) {
      denied.get(reason).increment();
    }

    public long sent() {
      return sent.count();
    }

    public long dropped() {
      return dropped.count();
    }

    public long errors() {
      return errors.count();
    }
  }

  private final Map<DrainUrl.Scheme, PerScheme> schemes = new EnumMap<>(DrainUrl.Scheme.class);
  private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
  private final Map<DenialReason, Counter> denied = new EnumMap<>(DenialReason.class);
  final Counter notices;

  public DrainCounters(Function<MetricName, Counter> counters, Map<String, String> tags) {
    for (DenialReason reason : DenialReason.values()) {
      denied.put(reason, counters.apply(DENIED.tagged("reason", reason.tag()).tagged(tags)));
    }
    Counter egress =
        counters.apply(ListenerCounters.DROPPED.tagged("direction", "egress").tagged(tags));
    for (DrainUrl.Scheme scheme : DrainUrl.Scheme.values()) {
      Counter dropped = counters.apply(DROPPED.tagged("scheme", scheme.text()).tagged(tags));
      schemes.put(
          scheme,
          new PerScheme(
              counters.apply(SENT.tagged("scheme", scheme.text()).tagged(tags)),
              both(dropped, egress),
              counters.apply(ERRORS.tagged("scheme", scheme.text()).tagged(tags)),
              denied));
    }
    for (Refusal reason : Refusal.values()) {
      refused.put(reason, counters.apply(REFUSED.tagged("reason", reason.tag).tagged(tags)));
    }
    notices = counters.apply(NOTICES.tagged(tags));
  }

  private static Counter both(Counter own, Counter total) {
    return new Counter() {
      @Override
      public void add(long n) {
        own.add(n);
        total.add(n);
      }

      @Override
      public long count() {
        return own.count();
      }
    };
  }

  public PerScheme of(DrainUrl.Scheme scheme) {
    return schemes.get(scheme);
  }

  void countRefusal(Refusal reason) {
    refused.get(reason).increment();
  }

  /** Bindings refused for that reason so far. */
  public long refusals(Refusal reason) {
    return refused.get(reason).count();
  }

  /** Connections denied for that reason so far. */
  public long denials(DenialReason reason) {
    return denied.get(reason).count();
  }

  public long notices() {
    return notices.count();
  }
}
