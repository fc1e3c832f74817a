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
 * @param clients the consumers each rate is measured with, one after the other ({@code --clients
 *     both}, the default; {@code batched}; {@code unbatched}, also {@code --unbatched})
 * @param condition names the server's state in the table: {@code warm} by default, {@code
 *     from-RATE} with a lead-in, {@code cold} when {@code bench/run-load --cold} restarted the
 *     server and the agent just before
 * @param jumpFrom the rate of a lead-in just before each measured run (0: none), so that the run
 *     measures the first seconds after a jump to its rate
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
    List<StreamConsumer.Kind> clients,
    String condition,
    int jumpFrom,
    int jumpSeconds,
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
          + " [--key PEM] [--firehose] [--clients both|batched|unbatched] [--unbatched]"
          + " [--jump-from RATE] [--jump-seconds 10] [--condition NAME] [--clock-ticks 100]"
          + " [--out bench/target/load] [--jfr DIR]";

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
    String clients = "both";
    String condition = null;
    int jumpFrom = 0;
    int jumpSeconds = 10;
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
        clients = "unbatched";
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
        case "--clients" -> clients = value;
        case "--condition" -> condition = value;
        case "--jump-from" -> jumpFrom = positive(name, value);
        case "--jump-seconds" -> jumpSeconds = positive(name, value);
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
        clientKinds(clients),
        condition != null ? condition : jumpFrom > 0 ? "from-" + jumpFrom : "warm",
        jumpFrom,
        jumpSeconds,
        serverPid,
        agentPid,
        clockTicks,
        Path.of(out),
        jfr == null ? null : Path.of(jfr).toAbsolutePath());
  }

  static List<StreamConsumer.Kind> clientKinds(String value) {
    return switch (value) {
      case "both" -> List.of(StreamConsumer.Kind.BATCHED, StreamConsumer.Kind.UNBATCHED);
      case "batched" -> List.of(StreamConsumer.Kind.BATCHED);
      case "unbatched" -> List.of(StreamConsumer.Kind.UNBATCHED);
      default ->
          throw new IllegalArgumentException(
              "--clients must be both, batched or unbatched, got '" + value + "'.");
    };
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
