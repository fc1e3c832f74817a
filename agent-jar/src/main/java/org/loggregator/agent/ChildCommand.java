package org.loggregator.agent;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.loggregator.agent.cli.AgentConfig;
import org.loggregator.agent.forward.ManyToOneEnvelopeRing;
import org.loggregator.agent.ingress.ChildOutputReader;
import org.loggregator.agent.lines.AppLogPublisher;
import org.loggregator.agent.lines.JavaStackTraceJoiner;
import org.loggregator.agent.lines.LineConsumer;
import org.loggregator.agent.lines.LineSplitter;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.agent.ratelimit.LogRateLimiter;
import org.loggregator.protocol.LogEnvelopeWriter;

/**
 * Run mode: starts the command with stdin inherited and stdout and stderr on pipes, reads both into
 * the pipeline, waits for it to exit and returns its exit code.
 *
 * <p>Signals: the JVM turns SIGTERM, SIGINT and SIGHUP into a shutdown, and the shutdown hook sends
 * the child SIGTERM ({@link ProcessHandle#destroy()}), keeps reading what it writes, waits up to
 * --stop-timeout, then kills it and its descendants (SIGKILL); the agent then exits with the
 * child's code. Java cannot trap other signals (SIGUSR1, SIGUSR2, SIGWINCH, SIGQUIT…), so those are
 * not forwarded; SIGKILL of the agent cannot be handled at all (the child then gets SIGPIPE at its
 * next write, by default). Ctrl-C in a terminal reaches the child directly too, as both are in the
 * terminal's process group.
 */
final class ChildCommand {

  /** After the child exits, how long its pipes may stay open (held by its own children). */
  private static final long PIPE_GRACE_MILLIS = 2_000;

  /** How long the forwarder may take to empty the queue at exit. */
  static final long DRAIN_MILLIS = 2_000;

  private final AgentConfig config;
  private final AgentPipeline pipeline;
  private final AgentLog log;
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicInteger exitCode = new AtomicInteger();

  ChildCommand(AgentConfig config, AgentPipeline pipeline, AgentLog log) {
    this.config = config;
    this.pipeline = pipeline;
    this.log = log;
  }

  /** Runs the child to its end; returns the exit code for the agent. */
  int run() throws InterruptedException {
    if (WARM_UP) {
      warmUp(config);
    }
    Process child;
    try {
      child =
          new ProcessBuilder(config.command())
              .redirectInput(ProcessBuilder.Redirect.INHERIT)
              .start();
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      boolean notFound = message.contains("error=2,") || message.contains("No such file");
      log.error(
          "Cannot run "
              + config.command().get(0)
              + ": "
              + (notFound ? "command not found" : "it cannot be executed")
              + ".");
      pipeline.close(0);
      return notFound ? 127 : 126;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(child), "agent-stop-child"));

    LogEnvelopeWriter.Builder lines =
        LogEnvelopeWriter.builder(config.origin())
            .appId(config.appId())
            .sourceType(config.sourceType())
            .sourceInstance(config.instance());
    LogEnvelopeWriter.Builder notices =
        LogEnvelopeWriter.builder(config.origin())
            .appId(config.appId())
            .sourceType("LGR")
            .sourceInstance(config.instance());
    if (!config.drains().isEmpty()) {
      lines.tag("drain_urls", config.drainUrlsTag());
      notices.tag("drain_urls", config.drainUrlsTag());
    }
    LogEnvelopeWriter lineWriter = lines.build();
    LogEnvelopeWriter noticeWriter = notices.build();
    int destination = pipeline.routes().destinationOf(config.appId());
    byte[] appId = config.appId().getBytes(StandardCharsets.UTF_8);
    LogRateLimiter limiter =
        config.rateLimit() > 0 ? new LogRateLimiter(config.rateLimit(), 1) : null;

    ChildOutputReader[] readers = {
      reader(
          "stdout",
          child,
          LogEnvelopeWriter.OUT,
          lineWriter,
          noticeWriter,
          destination,
          limiter,
          appId),
      reader(
          "stderr",
          child,
          LogEnvelopeWriter.ERR,
          lineWriter,
          noticeWriter,
          destination,
          limiter,
          appId)
    };
    for (ChildOutputReader r : readers) {
      r.start();
    }
    log.info(
        "ready in "
            + Agent.millisSinceStart()
            + " ms; running "
            + config.command().get(0)
            + " for app "
            + config.appId()
            + ", sending to "
            + pipeline.describeTargets());

    int code = child.waitFor();
    long deadline = System.currentTimeMillis() + PIPE_GRACE_MILLIS;
    for (ChildOutputReader r : readers) {
      if (!r.awaitEnd(Math.max(0, deadline - System.currentTimeMillis()))) {
        log.warn("the child's output is still open after it exited (held by its own children?).");
      }
    }
    pipeline.close(DRAIN_MILLIS);
    log.info("child exited with " + code + "; " + pipeline.summary());
    exitCode.set(code);
    finished.countDown();
    return code;
  }

  static final boolean WARM_UP = !Boolean.getBoolean("agent.noWarmUp");

  /**
   * Runs synthetic lines through the same line path the child's output takes (splitter, joiner,
   * publisher, ring), into a private ring, so that the JIT compiles that path before the child
   * starts writing; the compilation then overlaps the child's own start-up.
   */
  static void warmUp(AgentConfig config) {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 20);
    AgentCounters counters = new AgentCounters();
    LogEnvelopeWriter writer =
        LogEnvelopeWriter.builder(config.origin()).appId("warm-up").sourceType("APP").build();
    LineConsumer publisher = AppLogPublisher.unread(writer, ring, "warm-up", counters);
    JavaStackTraceJoiner joiner = joinerFor(config, publisher);
    LineSplitter splitter =
        new LineSplitter(config.maxLineBytes(), joiner != null ? joiner : publisher);
    byte[] chunk =
        "a line of about the length of a typical log line, written while warming up: 0123456789\n"
            .repeat(400)
            .getBytes(StandardCharsets.US_ASCII);
    ManyToOneEnvelopeRing.Handler discard = (d, k, b, o, l) -> {};
    for (int i = 0; i < 25; i++) {
      splitter.feed(chunk, 0, chunk.length, i);
      ring.drain(discard, Integer.MAX_VALUE);
    }
  }

  /** The stack-trace joiner in front of {@code publisher} when configured, else null. */
  private static JavaStackTraceJoiner joinerFor(AgentConfig config, LineConsumer publisher) {
    return config.multiline() == AgentConfig.Multiline.JAVA
        ? new JavaStackTraceJoiner(config.maxLineBytes(), publisher)
        : null;
  }

  private ChildOutputReader reader(
      String name,
      Process child,
      int type,
      LogEnvelopeWriter writer,
      LogEnvelopeWriter noticeWriter,
      int destination,
      LogRateLimiter limiter,
      byte[] appId) {
    LineConsumer publisher =
        new AppLogPublisher(
            type,
            writer,
            noticeWriter,
            pipeline.ring(),
            destination,
            limiter,
            appId,
            pipeline.counters());
    JavaStackTraceJoiner joiner = joinerFor(config, publisher);
    LineSplitter splitter =
        new LineSplitter(config.maxLineBytes(), joiner != null ? joiner : publisher);
    OutputStream copy = null;
    if (config.passThrough()) {
      copy =
          new FileOutputStream(
              type == LogEnvelopeWriter.OUT ? FileDescriptor.out : FileDescriptor.err);
    }
    return new ChildOutputReader(
        name,
        type == LogEnvelopeWriter.OUT ? child.getInputStream() : child.getErrorStream(),
        copy,
        splitter,
        joiner,
        pipeline.counters());
  }

  /** The shutdown hook: on a signal, stop the child, let run() finish, exit with its code. */
  private void stop(Process child) {
    if (finished.getCount() == 0) {
      return; // the child ended on its own: run() already did everything
    }
    long timeout = config.stopTimeout().toMillis();
    // Through the ProcessHandle: Process.destroy() would also close our ends of the child's
    // pipes, losing what it writes while it stops.
    ProcessHandle handle = child.toHandle();
    handle.destroy();
    try {
      if (!child.waitFor(timeout, TimeUnit.MILLISECONDS)) {
        log.warn("the child did not exit within " + config.stopTimeout() + "; killing it.");
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
        child.waitFor(5, TimeUnit.SECONDS);
      }
      if (finished.await(PIPE_GRACE_MILLIS + DRAIN_MILLIS + 2_000, TimeUnit.MILLISECONDS)) {
        Runtime.getRuntime().halt(exitCode.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().halt(child.isAlive() ? 1 : child.exitValue());
  }
}
