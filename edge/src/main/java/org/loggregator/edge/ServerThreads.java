package org.loggregator.edge;

import jakarta.websocket.Session;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.loggregator.liveness.Liveness;
import org.loggregator.liveness.PeriodicTask;
import org.loggregator.liveness.PoolProbe;
import org.loggregator.metrics.Counter;
import org.loggregator.sink.ConnectionLiveness;

/** What both applications do with the threads and connections they own at start and stop. */
public final class ServerThreads {
  private ServerThreads() {}

  /** The liveness check of WebSocket subscribers, pinging every {@code pingInterval}. */
  public static ConnectionLiveness<Session> webSocketLiveness(Duration pingInterval) {
    return new ConnectionLiveness<>(
        pingInterval, ConnectionLiveness.PONG_TIMEOUT, System::nanoTime, WebSocketTransport::ping);
  }

  /**
   * Runs {@code task} every {@code period} on {@code scheduler}, surviving its exceptions (counted
   * in {@code errors}), and watches it: liveness goes down when it dies or stops.
   */
  public static void schedule(
      ScheduledThreadPoolExecutor scheduler,
      Liveness alive,
      Counter errors,
      String name,
      Runnable task,
      Duration period) {
    PeriodicTask periodic = new PeriodicTask(name, task, period, errors, System::nanoTime);
    alive.watch(periodic);
    long millis = Math.max(1, period.toMillis());
    scheduler.scheduleWithFixedDelay(periodic, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Probes {@code pool} every five seconds from {@code scheduler}; watched as stuck after 60 s. */
  public static void probe(
      ScheduledThreadPoolExecutor scheduler,
      Liveness alive,
      Counter errors,
      String name,
      java.util.concurrent.Executor pool) {
    PoolProbe probe = new PoolProbe(name, pool, Duration.ofSeconds(60), System::nanoTime);
    alive.watch(probe);
    schedule(scheduler, alive, errors, "probe of " + name, probe::probe, Duration.ofSeconds(5));
  }

  /** The liveness health check's answer: up, or down naming every part that died or stopped. */
  public static HealthCheckResponse liveness(String name, Liveness alive) {
    java.util.List<String> problems = alive.problems(System.nanoTime());
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named(name).status(problems.isEmpty());
    for (int i = 0; i < problems.size(); i++) {
      response.withData("problem" + (i + 1), problems.get(i));
    }
    return response.build();
  }

  /** Stops each pool (null ones skipped) and waits up to five seconds for each to end. */
  public static void stop(ExecutorService... pools) {
    for (ExecutorService pool : pools) {
      if (pool != null) {
        pool.shutdownNow();
        try {
          pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
