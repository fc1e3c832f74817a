package org.loggregator.bench.harness;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The load harness's options, checked once: a bad one is an {@link IllegalArgumentException} whose
 * message names it.
 *
 * @param rates envelopes a second, 0 for as fast as the generator sends
 * @param batches whether the consumer asks the controller for envelope batches, as {@code logs}
 *     does ({@code --unbatched}: one envelope per message, as a client of the original system)
 */
record LoadOptions(
    List<Integer> rates,
    int runs,
    int seconds,
    int warmupSeconds,
    int warmupRate,
    int size,
    InetSocketAddress agent,
    String agentMetrics,
    String endpoint,
    String serverMetrics,
    Path key,
    boolean firehose,
    boolean batches,
    long serverPid,
    long agentPid,
    int clockTicks,
    Path out,
    Path jfr) {

  /** The loss table's rates: 500 to 5,500 by 500, then 10k to 100k, then unlimited. */
  static final String TABLE_RATES =
      "500,1000,1500,2000,2500,3000,3500,4000,4500,5000,5500,10000,20000,30000,40000,60000,100000,"
          + "unlimited";

  static final String USAGE =
      "LoadHarness --server-pid PID --agent-pid PID [--rates "
          + TABLE_RATES
          + "] [--runs 3] [--seconds 10] [--warmup 20] [--warmup-rate 10000] [--size 211] [--agent 127.0.0.1:3457]"
          + " [--agent-metrics http://127.0.0.1:14823/metrics] [--endpoint http://127.0.0.1:8080]"
          + " [--key PEM] [--firehose] [--unbatched] [--clock-ticks 100] [--out bench/target/load] [--jfr DIR]";

  static LoadOptions parse(String[] args) {
    String rates = TABLE_RATES;
    int runs = 3;
    int seconds = 10;
    int warmup = 20;
    int warmupRate = 10_000;
    int size = 211;
    String agent = "127.0.0.1:3457";
    String agentMetrics = "http://127.0.0.1:14823/metrics";
    String endpoint = "http://127.0.0.1:8080";
    String key = "target/liberty/wlp/usr/servers/all-in-one/resources/security/token-private.pem";
    boolean firehose = false;
    boolean batches = true;
    long serverPid = -1;
    long agentPid = -1;
    int clockTicks = 100;
    String out = "bench/target/load";
    String jfr = null;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--firehose")) {
        firehose = true;
        continue;
      }
      if (name.equals("--unbatched")) {
        batches = false;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value; usage: " + USAGE);
      }
      String value = args[++i];
      switch (name) {
        case "--rates" -> rates = value;
        case "--runs" -> runs = positive(name, value);
        case "--seconds" -> seconds = positive(name, value);
        case "--warmup" -> warmup = value.equals("0") ? 0 : positive(name, value);
        case "--warmup-rate" -> warmupRate = positive(name, value);
        case "--size" -> size = positive(name, value);
        case "--agent" -> agent = value;
        case "--agent-metrics" -> agentMetrics = value;
        case "--endpoint" -> endpoint = value;
        case "--key" -> key = value;
        case "--server-pid" -> serverPid = positive(name, value);
        case "--agent-pid" -> agentPid = positive(name, value);
        case "--clock-ticks" -> clockTicks = positive(name, value);
        case "--out" -> out = value;
        case "--jfr" -> jfr = value;
        default ->
            throw new IllegalArgumentException("unknown option " + name + "; usage: " + USAGE);
      }
    }
    if (serverPid < 0 || agentPid < 0) {
      throw new IllegalArgumentException(
          "--server-pid and --agent-pid are required (their CPU time is measured); usage: "
              + USAGE);
    }
    if (size > 65_000) {
      throw new IllegalArgumentException("--size must be at most 65000 bytes (one datagram).");
    }
    String http = endpoint.replaceFirst("^ws", "http");
    String ws = http.replaceFirst("^http", "ws");
    return new LoadOptions(
        parseRates(rates),
        runs,
        seconds,
        warmup,
        warmupRate,
        size,
        address("--agent", agent),
        agentMetrics,
        ws,
        http + "/metrics",
        Path.of(key),
        firehose,
        batches,
        serverPid,
        agentPid,
        clockTicks,
        Path.of(out),
        jfr == null ? null : Path.of(jfr).toAbsolutePath());
  }

  static List<Integer> parseRates(String list) {
    List<Integer> rates = new ArrayList<>();
    for (String item : list.split(",")) {
      String rate = item.trim().replace("_", "");
      if (rate.equals("unlimited")) {
        rates.add(0);
      } else if (rate.endsWith("k")) {
        rates.add(positive("--rates", rate.substring(0, rate.length() - 1)) * 1000);
      } else {
        rates.add(positive("--rates", rate));
      }
    }
    return List.copyOf(rates);
  }

  static int positive(String name, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the sentence below
    }
    throw new IllegalArgumentException(
        name
            + (name.equals("--rates")
                ? " must list positive whole numbers or 'unlimited', got '"
                : " must be a positive whole number, got '")
            + value
            + "'.");
  }

  /** {@code HOST:PORT} for the option {@code name}. */
  static InetSocketAddress address(String name, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException(name + " must be HOST:PORT, got '" + hostPort + "'.");
    }
    return new InetSocketAddress(
        hostPort.substring(0, colon), positive(name, hostPort.substring(colon + 1)));
  }
}
