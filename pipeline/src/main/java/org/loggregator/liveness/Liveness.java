package org.loggregator.liveness;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.loggregator.metrics.MetricName;

/**
 * The parts of one application that must keep making progress, asked together by its liveness
 * health check: the application is live while none of them reports a problem. Thread-safe.
 */
public final class Liveness {
  /** The gauge of the parts that report a problem now: what Prometheus sees of the check. */
  public static final MetricName PROBLEMS =
      MetricName.of(
          "liveness.problems",
          "Parts of the application that stopped making progress: 0 while /health/live is UP;"
              + " above 0 it is DOWN and names them.");

  /** One part: null while it is fine, else one sentence saying what died or stopped. */
  @FunctionalInterface
  public interface Check {
    String problem(long nowNanos);
  }

  private final List<Check> checks = new CopyOnWriteArrayList<>();

  /** Adds a part to watch, for as long as the application runs. */
  public void watch(Check check) {
    checks.add(check);
  }

  /** What is wrong now; empty while every part works. */
  public List<String> problems(long nowNanos) {
    List<String> problems = new ArrayList<>();
    for (Check check : checks) {
      String problem;
      try {
        problem = check.problem(nowNanos);
      } catch (RuntimeException e) {
        problem = "a liveness check failed: " + e;
      }
      if (problem != null) {
        problems.add(problem);
      }
    }
    return problems;
  }
}
