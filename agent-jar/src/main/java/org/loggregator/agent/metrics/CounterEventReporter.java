package org.loggregator.agent.metrics;

import java.time.Instant;
import java.util.Map;
import org.loggregator.agent.forward.ManyToOneEnvelopeRing;
import org.loggregator.protocol.CounterEnvelopeWriter;

/**
 * Sends the agent's own counters into the forward ring as CounterEvents with origin {@value
 * #ORIGIN}, every interval, from one daemon thread: one envelope per counter that moved since the
 * last report, carrying the delta and the total. Envelopes that find the ring full are counted as
 * dropped, and their delta goes out with the next report.
 */
public final class CounterEventReporter implements AutoCloseable {

  /** The origin of the agent's metric envelopes, as in the original system. */
  public static final String ORIGIN = "MetronAgent";

  private final AgentCounters counters;
  private final ManyToOneEnvelopeRing ring;
  private final long intervalMillis;
  private final AgentCounter[] catalogue = AgentCounter.values();
  private final CounterEnvelopeWriter[] writers = new CounterEnvelopeWriter[catalogue.length];
  private final long[] reported = new long[catalogue.length];
  private final Thread thread;
  private volatile boolean stopped;

  public CounterEventReporter(
      AgentCounters counters, ManyToOneEnvelopeRing ring, long intervalMillis) {
    this.counters = counters;
    this.ring = ring;
    this.intervalMillis = intervalMillis;
    for (AgentCounter c : catalogue) {
      CounterEnvelopeWriter.Builder b = CounterEnvelopeWriter.builder(ORIGIN, c.dropsondeName());
      for (Map.Entry<String, String> tag : new java.util.TreeMap<>(c.tags()).entrySet()) {
        b.tag(tag.getKey(), tag.getValue());
      }
      writers[c.ordinal()] = b.build();
    }
    this.thread = new Thread(this::run, "agent-counter-events");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Stops the thread, then reports once more so the last deltas are not lost. */
  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reportNow();
  }

  private void run() {
    while (!stopped) {
      try {
        Thread.sleep(intervalMillis);
      } catch (InterruptedException e) {
        return;
      }
      reportNow();
    }
  }

  /** Puts one CounterEvent per counter that moved into the ring; returns how many went in. */
  public synchronized int reportNow() {
    Instant now = Instant.now();
    long timestamp = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    int queued = 0;
    for (AgentCounter c : catalogue) {
      long total = counters.get(c);
      long delta = total - reported[c.ordinal()];
      if (delta <= 0) {
        continue;
      }
      CounterEnvelopeWriter writer = writers[c.ordinal()];
      int length = writer.encodedLength(timestamp, delta, total);
      int at = ring.tryClaim(ManyToOneEnvelopeRing.ANY_DESTINATION, length);
      if (at < 0) {
        counters.increment(AgentCounter.DROPPED_QUEUE_FULL);
        continue;
      }
      writer.write(ring.buffer(), at, timestamp, delta, total);
      ring.commit(at);
      reported[c.ordinal()] = total;
      queued++;
    }
    return queued;
  }
}
