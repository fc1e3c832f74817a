package org.loggregator.bench.harness;

import java.net.http.HttpClient;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.loggregator.auth.PemKeys;
import org.loggregator.cli.token.TokenClaims;
import org.loggregator.cli.token.TokenMinter;
import org.loggregator.protocol.LgrNotice;

/**
 * The load harness: drives the real path on one machine (generator → agent → doppler → traffic
 * controller → WebSocket client) at fixed rates and reports, per rate, what each hop received and
 * lost, the kernel's UDP receive-buffer drops, the CPU seconds of each process and the latency.
 * {@code bench/run-load} starts the server and the agent and runs this; see docs/PERFORMANCE.md.
 */
public final class LoadHarness {
  private final LoadOptions options;
  private final HttpClient http = HttpClient.newHttpClient();
  private final TokenMinter minter;

  private LoadHarness(LoadOptions options) throws Exception {
    this.options = options;
    this.minter = new TokenMinter(PemKeys.readPrivate(options.key()));
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--replot")) {
      // Draws the table and the plot again from a runs.csv this harness wrote.
      Path csv = Path.of(args[1]);
      List<RunResult> medians = new ArrayList<>();
      for (List<RunResult> runs : LossTable.parseCsv(Files.readAllLines(csv))) {
        medians.add(LossTable.median(runs));
      }
      Path dir = csv.toAbsolutePath().getParent();
      Files.writeString(dir.resolve("loss-table.md"), LossTable.markdown(medians));
      LossPlot.write(medians, title(), dir.resolve("loss.png"));
      System.out.print(LossTable.markdown(medians));
      return;
    }
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("run-load: " + e.getMessage());
      System.exit(2);
      return;
    }
    new LoadHarness(options).runAll();
  }

  private void runAll() throws Exception {
    Files.createDirectories(options.out());
    Path csv = options.out().resolve("runs.csv");
    Files.writeString(csv, LossTable.csvHeader());
    Files.deleteIfExists(options.out().resolve("threads.csv"));
    List<RunResult> medians = new ArrayList<>();
    if (options.warmupSeconds() > 0) {
      // A fresh server and agent run interpreted code at first: warm them before measuring.
      System.out.printf(
          "warming up: %d s at %,d/s (not recorded)%n",
          options.warmupSeconds(), options.warmupRate());
      runOnce(options.clients().get(0), options.warmupRate(), 0, options.warmupSeconds());
    }
    if (options.jfr() != null) {
      flightRecording(
          "JFR.start", "settings=profile", "filename=" + options.jfr().resolve("%s.jfr"));
    }
    for (int rate : options.rates()) {
      Map<StreamConsumer.Kind, List<RunResult>> runs = new EnumMap<>(StreamConsumer.Kind.class);
      for (int run = 1; run <= options.runs(); run++) {
        for (StreamConsumer.Kind client : options.clients()) {
          RunResult r = runOnce(client, rate, run, options.seconds());
          runs.computeIfAbsent(client, k -> new ArrayList<>()).add(r);
          Files.writeString(csv, LossTable.csvLine(r, run), StandardOpenOption.APPEND);
          print(r, run);
        }
      }
      for (List<RunResult> ofClient : runs.values()) {
        medians.add(LossTable.median(ofClient));
      }
    }
    if (options.jfr() != null) {
      flightRecording("JFR.stop");
    }
    String table = LossTable.markdown(medians);
    Files.writeString(options.out().resolve("loss-table.md"), table);
    LossPlot.write(medians, title(), options.out().resolve("loss.png"));
    System.out.println();
    System.out.print(table);
    System.out.println(
        "\nWrote "
            + options.out().resolve("loss-table.md")
            + ", "
            + csv
            + " and "
            + options.out().resolve("loss.png")
            + ".");
  }

  private static void print(RunResult r, int run) {
    System.out.printf(
        "%s %s rate %s run %d: sent %,d, agent %,d, doppler %,d, consumer %,d, loss %s,"
            + " rcvbuf %d, p50 %.2f ms, p99 %.2f ms%n",
        r.condition(),
        r.client(),
        r.rate() == 0 ? "unlimited" : Integer.toString(r.rate()),
        run,
        r.sent(),
        r.agentReceived(),
        r.dopplerReceived(),
        r.consumed(),
        LossTable.percent(r.lossPercent()),
        r.receiveBufferErrors(),
        r.p50(),
        r.p99());
  }

  private static String title() {
    return "Loss against rate, generator → agent → doppler → controller → client, "
        + LocalDate.now()
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores";
  }

  private RunResult runOnce(StreamConsumer.Kind client, int rate, int run, int runSeconds)
      throws Exception {
    String appId = "load-" + (rate == 0 ? "max" : rate) + "-" + run + "-" + UUID.randomUUID();
    String url =
        options.firehose()
            ? options.endpoint() + "/firehose/load-" + UUID.randomUUID()
            : options.endpoint() + "/apps/" + appId + "/stream";
    TokenClaims claims = TokenClaims.forApps(appId);
    String token = minter.mint(options.firehose() ? claims.withFirehose() : claims);
    StreamConsumer consumer = StreamConsumer.open(http, url, token, appId, client);
    PacedGenerator generator = new PacedGenerator(appId, options.size());
    try (DatagramChannel channel = PacedGenerator.connect(options.agent())) {
      // Until the consumer sees the app's envelopes, the controller is still subscribing.
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (consumer.seen() == 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "No envelope reached the consumer in 20 s: is the agent forwarding to the server?");
        }
        generator.sendOne(channel);
        LockSupport.parkNanos(100_000_000L);
      }
      LockSupport.parkNanos(500_000_000L);
      if (options.jumpFrom() > 0) {
        // The lead-in: the server settles at the lower rate, then the run jumps to its own.
        generator.run(channel, options.jumpFrom(), options.jumpSeconds() * 1_000_000_000L);
      }

      Snapshot before = snapshot();
      consumer.countFrom(LgrNotice.nowNanos());
      long start = System.nanoTime();
      long sent = generator.run(channel, rate, runSeconds * 1_000_000_000L);
      double seconds = (System.nanoTime() - start) / 1e9;
      awaitQuiet(consumer);
      Snapshot after = snapshot();
      Histogram latencies = consumer.latencies();
      if (run > 0) {
        writeThreadCpu(client, rate, run, before, after);
      }
      return new RunResult(
          options.condition(),
          client.label(),
          rate,
          seconds,
          sent,
          after.agentReceived - before.agentReceived,
          after.agentQueueDropped - before.agentQueueDropped,
          after.dopplerReceived - before.dopplerReceived,
          after.dopplerDropped - before.dopplerDropped,
          after.controllerDropped - before.controllerDropped,
          consumer.counted(),
          consumer.notices(),
          after.rcvbufErrors - before.rcvbufErrors,
          after.serverCpu - before.serverCpu,
          after.agentCpu - before.agentCpu,
          after.harnessCpu - before.harnessCpu,
          latencies.getValueAtPercentile(50) / 1e6,
          latencies.getValueAtPercentile(99) / 1e6);
    } finally {
      consumer.close();
    }
  }

  /**
   * Runs a {@code jcmd} JFR command in the server and the agent, with {@code %s} in an argument
   * replaced by the process's name.
   */
  private void flightRecording(String command, String... arguments) throws Exception {
    for (String process : List.of("server", "agent")) {
      List<String> line = new ArrayList<>(List.of(command, "name=load"));
      for (String argument : arguments) {
        line.add(argument.replace("%s", process));
      }
      Scrape.jcmd(process.equals("server") ? options.serverPid() : options.agentPid(), line);
    }
  }

  /**
   * Appends the run's CPU seconds per thread name of the server and the agent to {@code
   * threads.csv}, to see which hop's threads a change made cheaper or dearer.
   */
  private void writeThreadCpu(
      StreamConsumer.Kind client, int rate, int run, Snapshot before, Snapshot after)
      throws Exception {
    Path csv = options.out().resolve("threads.csv");
    StringBuilder lines = new StringBuilder();
    if (!Files.exists(csv)) {
      lines.append("condition,client,rate,run,process,thread,cpu_s,user_s\n");
    }
    for (String process : List.of("server", "agent")) {
      Map<String, double[]> from =
          process.equals("server") ? before.serverThreads : before.agentThreads;
      Map<String, double[]> to =
          process.equals("server") ? after.serverThreads : after.agentThreads;
      to.forEach(
          (thread, seconds) -> {
            double[] was = from.getOrDefault(thread, new double[2]);
            double user = seconds[0] - was[0];
            double used = user + seconds[1] - was[1];
            if (used >= 0.005) {
              lines.append(
                  String.format(
                      Locale.ROOT,
                      "%s,%s,%d,%d,%s,\"%s\",%.2f,%.2f%n",
                      options.condition(),
                      client.label(),
                      rate,
                      run,
                      process,
                      thread.replace("\"", "'"),
                      used,
                      user));
            }
          });
    }
    Files.writeString(csv, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Waits until the consumer has read nothing new for a second (at most 30 s). */
  private static void awaitQuiet(StreamConsumer consumer) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = consumer.counted() + consumer.notices();
      if (now == last) {
        return;
      }
      last = now;
      LockSupport.parkNanos(1_000_000_000L);
    }
  }

  private Snapshot snapshot() throws Exception {
    String agent = Scrape.get(http, options.agentMetrics());
    String server = Scrape.get(http, options.serverMetrics());
    Snapshot s = new Snapshot();
    s.agentReceived = (long) Scrape.sum(agent, "dropsondeAgentListener_receivedMessageCount_total");
    s.agentQueueDropped =
        (long) Scrape.sum(agent, "agent_droppedMessages_total", "reason=\"queueFull\"");
    s.dopplerReceived =
        (long)
            Scrape.sum(
                server, "dropsondeListener_receivedMessageCount_total", "component=\"doppler\"");
    s.dopplerDropped =
        (long)
            Scrape.sum(
                server,
                "messageRouter_totalDroppedMessages_total",
                "component=\"doppler\"",
                "direction=\"egress\"");
    s.controllerDropped =
        (long)
            Scrape.sum(
                server,
                "dopplerProxy_slowConsumer_total",
                "component=\"controller\"",
                "direction=\"egress\"");
    s.rcvbufErrors = Scrape.udpReceiveBufferErrors(Path.of("/proc/net/snmp"));
    s.serverCpu = Scrape.cpuSeconds(options.serverPid(), options.clockTicks());
    s.agentCpu = Scrape.cpuSeconds(options.agentPid(), options.clockTicks());
    s.harnessCpu = Scrape.cpuSeconds(ProcessHandle.current().pid(), options.clockTicks());
    s.serverThreads = Scrape.threadCpuSeconds(options.serverPid(), options.clockTicks());
    s.agentThreads = Scrape.threadCpuSeconds(options.agentPid(), options.clockTicks());
    return s;
  }

  private static final class Snapshot {
    long agentReceived;
    long agentQueueDropped;
    long dopplerReceived;
    long dopplerDropped;
    long controllerDropped;
    long rcvbufErrors;
    double serverCpu;
    double agentCpu;
    double harnessCpu;
    Map<String, double[]> serverThreads;
    Map<String, double[]> agentThreads;
  }
}
