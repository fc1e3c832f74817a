package org.loggregator.doppler.transit;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.loggregator.metrics.Counter;
import org.loggregator.metrics.MetricName;

/**
 * What transit tracking counts; thread-safe. The per-agent counters are created when an agent is
 * first seen, tagged {@code agent=<host name>}, for at most {@code maxAgents} host names; the
 * envelopes of agents past that bound are counted under {@code agent="other"}.
 */
public final class TransitCounters {
  public static final MetricName LOST =
      MetricName.of(
          "transit.lostEnvelopes",
          "Log lines an agent numbered for this doppler that never arrived, by agent host name;"
              + " added at each 5 s flush.");
  public static final MetricName RECEIVED =
      MetricName.of(
          "transit.receivedEnvelopes",
          "Log lines numbered by an agent that arrived, by agent host name; added at each 5 s"
              + " flush.");
  public static final MetricName UNTRACKED =
      MetricName.of(
          "transit.untrackedEnvelopes",
          "Numbered envelopes not tracked, by reason: no_app (no app id), table_full (the table of"
              + " agent epochs and apps was full), collision (two app ids with one hash).");
  public static final MetricName DUPLICATES =
      MetricName.of(
          "transit.duplicateEnvelopes",
          "Numbered envelopes whose number had already arrived; delivered, not counted received.");
  public static final MetricName LATE =
      MetricName.of(
          "transit.lateEnvelopes",
          "Numbered envelopes that arrived after they had been counted lost; delivered.");
  public static final MetricName RESYNCS =
      MetricName.of(
          "transit.resyncs",
          "Times an app's numbers jumped by more than 2^20 and tracking started over, without loss.");
  public static final MetricName EVICTED =
      MetricName.of(
          "transit.evictedEntries",
          "Agent epoch and app pairs forgotten because they sent nothing for a minute.");

  /** The tag value of agents past the bound. */
  public static final String OTHER_AGENTS = "other";

  final Counter untrackedNoApp;
  final Counter untrackedTableFull;
  final Counter untrackedCollision;
  private final Counter duplicates;
  private final Counter late;
  private final Counter resyncs;
  private final Counter evicted;
  private final Function<MetricName, Counter> factory;
  private final Map<String, String> tags;
  private final int maxAgents;
  private final Map<String, Counter[]> agents = new HashMap<>();

  /**
   * @param maxAgents agent host names given counters of their own
   */
  public TransitCounters(
      Function<MetricName, Counter> counters, Map<String, String> tags, int maxAgents) {
    this.factory = counters;
    this.tags = Map.copyOf(tags);
    this.maxAgents = maxAgents;
    untrackedNoApp = counters.apply(UNTRACKED.tagged("reason", "no_app").tagged(tags));
    untrackedTableFull = counters.apply(UNTRACKED.tagged("reason", "table_full").tagged(tags));
    untrackedCollision = counters.apply(UNTRACKED.tagged("reason", "collision").tagged(tags));
    duplicates = counters.apply(DUPLICATES.tagged(tags));
    late = counters.apply(LATE.tagged(tags));
    resyncs = counters.apply(RESYNCS.tagged(tags));
    evicted = counters.apply(EVICTED.tagged(tags));
  }

  /** Adds one flush's counts; {@code byHost} holds {received, lost} per agent host name. */
  synchronized void add(
      Map<String, long[]> byHost,
      long duplicateCount,
      long lateCount,
      long resyncCount,
      long evictedCount) {
    for (Map.Entry<String, long[]> e : byHost.entrySet()) {
      Counter[] c = agent(e.getKey());
      c[0].add(e.getValue()[0]);
      c[1].add(e.getValue()[1]);
    }
    duplicates.add(duplicateCount);
    late.add(lateCount);
    resyncs.add(resyncCount);
    evicted.add(evictedCount);
  }

  /** {received, lost} of an agent host name, or of {@value #OTHER_AGENTS}. */
  private Counter[] agent(String host) {
    Counter[] c = agents.get(host);
    if (c != null) {
      return c;
    }
    String tag = agents.size() < maxAgents ? host : OTHER_AGENTS;
    c = agents.get(tag);
    if (c == null) {
      c =
          new Counter[] {
            factory.apply(RECEIVED.tagged("agent", tag).tagged(tags)),
            factory.apply(LOST.tagged("agent", tag).tagged(tags))
          };
      agents.put(tag, c);
    }
    return c;
  }

  /** Lost envelopes counted for an agent host name (or {@value #OTHER_AGENTS}); 0 if unseen. */
  public synchronized long lost(String host) {
    Counter[] c = agents.get(host);
    return c == null ? 0 : c[1].count();
  }

  /** Received envelopes counted for an agent host name (or {@value #OTHER_AGENTS}); 0 if unseen. */
  public synchronized long received(String host) {
    Counter[] c = agents.get(host);
    return c == null ? 0 : c[0].count();
  }

  public long duplicates() {
    return duplicates.count();
  }

  public long late() {
    return late.count();
  }

  public long resyncs() {
    return resyncs.count();
  }

  public long evicted() {
    return evicted.count();
  }

  /** Envelopes not tracked because the table was full. */
  public long untrackedTableFull() {
    return untrackedTableFull.count();
  }
}
