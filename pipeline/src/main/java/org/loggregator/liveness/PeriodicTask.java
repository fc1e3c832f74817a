package org.loggregator.liveness;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.loggregator.metrics.Counter;
import org.loggregator.metrics.MetricName;

/**
 * A task a scheduler runs every period, made to survive its own exceptions: a scheduled executor
 * silently stops running a task that throws once, so this catches everything but a {@link
 * VirtualMachineError}, counts it, and logs the first one. As a liveness check, it reports a task
 * that died or has not completed a run for three periods and ten seconds (its thread is stuck, or
 * the scheduler stopped). Thread-safe.
 */
public final class PeriodicTask implements Runnable, Liveness.Check {
  /** The counter of runs that threw, over every periodic task of a component. */
  public static final MetricName ERRORS =
      MetricName.of(
          "scheduler.taskErrors",
          "Runs of periodic tasks (sweeps, liveness checks) that threw; each task keeps running.");

  private static final Logger LOG = Logger.getLogger(PeriodicTask.class.getName());
  private static final long GRACE_NANOS = Duration.ofSeconds(10).toNanos();

  private final String name;
  private final Runnable task;
  private final long staleAfterNanos;
  private final Counter errors;
  private final LongSupplier nanoClock;
  private final AtomicLong lastCompleted;
  private final AtomicBoolean loggedOnce = new AtomicBoolean();
  private volatile Throwable death;

  /**
   * @param name how the task is named in logs and liveness problems
   * @param period how often the scheduler runs it
   * @param errors counts the runs that threw
   */
  public PeriodicTask(
      String name, Runnable task, Duration period, Counter errors, LongSupplier nanoClock) {
    this.name = name;
    this.task = task;
    this.staleAfterNanos = 3 * period.toNanos() + GRACE_NANOS;
    this.errors = errors;
    this.nanoClock = nanoClock;
    this.lastCompleted = new AtomicLong(nanoClock.getAsLong());
  }

  @Override
  public void run() {
    try {
      task.run();
    } catch (VirtualMachineError e) {
      death = e;
      throw e;
    } catch (Throwable e) { // NOPMD: a periodic task must survive anything the JVM survives
      errors.increment();
      if (loggedOnce.compareAndSet(false, true)) {
        LOG.log(
            Level.WARNING,
            "The periodic task "
                + name
                + " failed; it keeps running, and further failures are"
                + " only counted.",
            e);
      }
    }
    lastCompleted.set(nanoClock.getAsLong());
  }

  @Override
  public String problem(long nowNanos) {
    Throwable died = death;
    if (died != null) {
      return "the periodic task " + name + " died: " + died;
    }
    long since = nowNanos - lastCompleted.get();
    return since > staleAfterNanos
        ? "the periodic task "
            + name
            + " has not completed a run for "
            + since / 1_000_000_000L
            + " s"
        : null;
  }
}
