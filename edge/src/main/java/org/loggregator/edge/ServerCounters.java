package org.loggregator.edge;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.loggregator.access.Refusals;
import org.loggregator.ingress.ListenerCounters;
import org.loggregator.liveness.PeriodicTask;
import org.loggregator.metrics.Counter;
import org.loggregator.metrics.MetricName;

/**
 * The counters both servers keep, whatever their role: their UDP listener's, the requests access
 * control refused, and the runs of periodic tasks that threw. Thread-safe.
 */
public final class ServerCounters {
  private final ListenerCounters listener;
  private final Refusals refusals;
  private final Counter taskErrors;

  /**
   * @param counters creates each counter (MicroProfile Metrics on a server)
   * @param tags added to every counter (the component)
   */
  public ServerCounters(Function<MetricName, Counter> counters, Map<String, String> tags) {
    listener = new ListenerCounters(counters, tags);
    refusals = new Refusals(counters, tags, System::nanoTime, Duration.ofMinutes(1));
    taskErrors = counters.apply(PeriodicTask.ERRORS.tagged(tags));
  }

  public ListenerCounters listener() {
    return listener;
  }

  /** Requests refused by access control, by reason. */
  public Refusals refusals() {
    return refusals;
  }

  /** Runs of periodic tasks that threw. */
  public Counter taskErrors() {
    return taskErrors;
  }
}
