package org.loggregator.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.loggregator.agent.cli.AgentCommandLine;
import org.loggregator.agent.cli.AgentConfig;
import org.loggregator.agent.cli.AgentHelp;
import org.loggregator.agent.cli.UsageException;

/**
 * The agent's entry point ({@code java -jar agent.jar serve|run …}): parses the settings, starts
 * the shared pipeline, then serves until stopped or runs the child to its end. See README.md for
 * the options and the exit codes.
 */
public final class Agent {

  /** How long serve mode gives the forwarder to empty its queue when stopped. */
  private static final long SERVE_DRAIN_MILLIS = 2_000;

  private Agent() {}

  public static void main(String[] args) {
    boundNameCache();
    AgentCommandLine.Parsed parsed;
    try {
      parsed = AgentCommandLine.parse(args);
    } catch (UsageException e) {
      System.err.println("agent: " + e.getMessage());
      System.exit(UsageException.EXIT_CODE);
      return;
    }
    if (parsed.help()) {
      System.out.print(AgentHelp.text());
      System.exit(0);
      return;
    }
    AgentConfig config = parsed.config();
    AgentLog log = new AgentLog(System.err, config.quiet());
    AgentPipeline pipeline;
    try {
      pipeline = AgentPipeline.start(config, log);
    } catch (AgentPipeline.StartupException e) {
      log.error(e.getMessage());
      System.exit(1);
      return;
    }
    try {
      int code =
          config.mode() == AgentConfig.Mode.RUN
              ? new ChildCommand(config, pipeline, log).run()
              : serve(config, pipeline, log);
      System.exit(code);
    } catch (InterruptedException e) {
      System.exit(1);
    }
  }

  /** Serve mode: forward until SIGTERM or SIGINT, then drain briefly and exit 0. */
  private static int serve(AgentConfig config, AgentPipeline pipeline, AgentLog log)
      throws InterruptedException {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  pipeline.close(SERVE_DRAIN_MILLIS);
                  log.info("stopped; " + pipeline.summary());
                  Runtime.getRuntime().halt(0);
                },
                "agent-stop"));
    StringBuilder ready = new StringBuilder("ready in " + millisSinceStart() + " ms; ");
    pipeline
        .ingress()
        .ifPresent(
            i ->
                ready
                    .append("UDP ingress on ")
                    .append(i.localAddress())
                    .append(" with a ")
                    .append(i.receiveBufferBytes())
                    .append("-byte receive buffer granted")
                    .append(
                        i.receiveBufferBytes() < config.ingressBufferBytes()
                            ? " (asked for "
                                + config.ingressBufferBytes()
                                + "; raise net.core.rmem_max for more); "
                            : "; "));
    pipeline.podLogs().ifPresent(p -> ready.append("reading ").append(p.describe()).append("; "));
    pipeline
        .endpoint()
        .ifPresent(
            e ->
                ready.append("metrics on http://127.0.0.1:").append(e.port()).append("/metrics; "));
    ready.append("sending to ").append(pipeline.describeTargets());
    log.info(ready.toString());
    new CountDownLatch(1).await(); // until the shutdown hook halts the JVM
    return 0;
  }

  /**
   * Milliseconds since this process started, from {@code /proc} (Linux, 10 ms resolution): the
   * system uptime minus the process start time in clock ticks of 1/100 s. -1 when unknown.
   */
  static long millisSinceStart() {
    try {
      String uptime = Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[0];
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long startTicks = Long.parseLong(fields[19]); // field 22 of the whole line
      return Math.round(Double.parseDouble(uptime) * 1000) - startTicks * 10;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Doppler names are resolved again every --doppler-refresh: unless the operator chose otherwise,
   * the JVM keeps no answer, found or not, for more than 5 s. Runs before the first lookup.
   */
  private static void boundNameCache() {
    if (System.getProperty("sun.net.inetaddr.ttl") == null
        && java.security.Security.getProperty("networkaddress.cache.ttl") == null) {
      java.security.Security.setProperty("networkaddress.cache.ttl", "5");
    }
    if (System.getProperty("sun.net.inetaddr.negative.ttl") == null) {
      java.security.Security.setProperty("networkaddress.cache.negative.ttl", "5");
    }
  }
}
