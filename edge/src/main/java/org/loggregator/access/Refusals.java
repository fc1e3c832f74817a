package org.loggregator.access;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.loggregator.metrics.Counter;
import org.loggregator.metrics.MetricName;

/**
 * Counts every refused request by reason ({@value #NAME}{@code {reason="…"}}) and logs at most one
 * line per reason and interval, saying how many more were refused since. Thread-safe.
 */
public final class Refusals {
  public static final String NAME = "accessControl.refusedRequests";
  static final MetricName REFUSED =
      MetricName.of(
          NAME, "Requests refused by access control, by reason (nothing was served to them).");

  private static final Logger LOG = Logger.getLogger(Refusals.class.getName());
  private static final int MAX_DESCRIPTION = 200;

  private final Map<Refusal, Counter> counters = new EnumMap<>(Refusal.class);
  private final Map<Refusal, AtomicLong> nextLog = new EnumMap<>(Refusal.class);
  private final Map<Refusal, LongAdder> unlogged = new EnumMap<>(Refusal.class);
  private final LongSupplier nanoClock;
  private final long intervalNanos;

  /**
   * @param counters creates each counter (MicroProfile Metrics on a server)
   * @param tags added to every counter (the component)
   */
  public Refusals(
      Function<MetricName, Counter> counters,
      Map<String, String> tags,
      LongSupplier nanoClock,
      Duration interval) {
    this.nanoClock = nanoClock;
    this.intervalNanos = interval.toNanos();
    long now = nanoClock.getAsLong();
    for (Refusal reason : Refusal.values()) {
      this.counters.put(
          reason, counters.apply(REFUSED.tagged(tags).tagged("reason", reason.tag())));
      nextLog.put(reason, new AtomicLong(now));
      unlogged.put(reason, new LongAdder());
    }
  }

  /** Counts a refusal; logs it if it is the first of its reason in the interval. */
  public void record(Decision decision, String request) {
    Refusal reason = decision.refusal();
    counters.get(reason).increment();
    long now = nanoClock.getAsLong();
    AtomicLong next = nextLog.get(reason);
    long due = next.get();
    if (now - due >= 0 && next.compareAndSet(due, now + intervalNanos)) {
      long more = unlogged.get(reason).sumThenReset();
      LOG.info(
          "Refused "
              + printable(request)
              + " ("
              + reason.tag()
              + "): "
              + decision.sentence()
              + (more > 0
                  ? " " + more + " more refused for this reason since the last report."
                  : ""));
    } else {
      unlogged.get(reason).increment();
    }
  }

  /** How many were refused for {@code reason}. */
  public long count(Refusal reason) {
    return counters.get(reason).count();
  }

  /**
   * The request as an operator may read it: short, without control, line-separator or
   * text-direction characters (which could forge or hide a log line).
   */
  static String printable(String request) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < request.length() && out.length() < MAX_DESCRIPTION; i++) {
      char c = request.charAt(i);
      boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
      boolean layout =
          c == 0x2028
              || c == 0x2029
              || (c >= 0x202a && c <= 0x202e)
              || (c >= 0x2066 && c <= 0x2069)
              || c == 0x200e
              || c == 0x200f;
      out.append(control || layout ? '?' : c);
    }
    return out.toString();
  }
}
