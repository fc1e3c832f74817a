package org.loggregator.bench.harness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Formats runs: the median run of each condition, client and rate as a Markdown table, every run as
 * CSV.
 */
final class LossTable {
  private LossTable() {}

  /** Of the runs at one rate, the one whose end-to-end loss is the median (the lower middle). */
  static RunResult median(List<RunResult> runs) {
    List<RunResult> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(RunResult::lossPercent));
    return sorted.get((sorted.size() - 1) / 2);
  }

  static String markdown(List<RunResult> medians) {
    StringBuilder out = new StringBuilder();
    out.append(
        "| condition | client | rate/s | sent | agent got | doppler got | consumer got | lost → agent | lost → doppler"
            + " | doppler queue | controller queue | loss | RcvbufErrors"
            + " | CPU s server / agent / harness | p50 | p99 |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (RunResult r : medians) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %,d%s | %s | %,d |"
                  + " %.1f / %.1f / %.1f | %.2f ms | %.2f ms |\n",
              r.condition(),
              r.client(),
              r.rate() == 0
                  ? String.format(Locale.ROOT, "unlimited (%,.0f)", r.achievedRate())
                  : String.format(Locale.ROOT, "%,d", r.rate()),
              r.sent(),
              r.agentReceived(),
              r.dopplerReceived(),
              r.consumed(),
              r.lostToAgent(),
              r.lostToDoppler(),
              r.dopplerDropped(),
              r.controllerDropped(),
              r.unaccounted() == 0 ? "" : String.format(Locale.ROOT, " (%+,d)", r.unaccounted()),
              percent(r.lossPercent()),
              r.receiveBufferErrors(),
              r.serverCpu(),
              r.agentCpu(),
              r.harnessCpu(),
              r.p50(),
              r.p99()));
    }
    return out.toString();
  }

  static String csvHeader() {
    return "condition,client,rate,run,seconds,sent,agent_received,agent_queue_dropped,doppler_received,"
        + "doppler_dropped,controller_dropped,consumed,notices,loss_percent,rcvbuf_errors,"
        + "server_cpu_s,agent_cpu_s,harness_cpu_s,p50_ms,p99_ms\n";
  }

  static String csvLine(RunResult r, int run) {
    return String.format(
        Locale.ROOT,
        "%s,%s,%d,%d,%.3f,%d,%d,%d,%d,%d,%d,%d,%d,%.4f,%d,%.2f,%.2f,%.2f,%.3f,%.3f\n",
        r.condition(),
        r.client(),
        r.rate(),
        run,
        r.seconds(),
        r.sent(),
        r.agentReceived(),
        r.agentQueueDropped(),
        r.dopplerReceived(),
        r.dopplerDropped(),
        r.controllerDropped(),
        r.consumed(),
        r.notices(),
        r.lossPercent(),
        r.receiveBufferErrors(),
        r.serverCpu(),
        r.agentCpu(),
        r.harnessCpu(),
        r.p50(),
        r.p99());
  }

  /**
   * Reads the lines {@link #csvLine} wrote (after {@link #csvHeader}), grouped by condition, client
   * and rate, in the order they first appear.
   */
  static List<List<RunResult>> parseCsv(List<String> lines) {
    Map<String, List<RunResult>> byGroup = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank() || line.startsWith("condition,")) {
        continue; // a header again where files were joined
      }
      String[] f = line.split(",");
      long[] n = new long[f.length];
      double[] d = new double[f.length];
      for (int i = 2; i < f.length; i++) {
        d[i] = Double.parseDouble(f[i]);
        n[i] = (long) d[i];
      }
      RunResult r =
          new RunResult(
              f[0],
              f[1],
              (int) n[2],
              d[4],
              n[5],
              n[6],
              n[7],
              n[8],
              n[9],
              n[10],
              n[11],
              n[12],
              n[14],
              d[15],
              d[16],
              d[17],
              d[18],
              d[19]);
      byGroup.computeIfAbsent(r.series() + " " + r.rate(), k -> new ArrayList<>()).add(r);
    }
    return new ArrayList<>(byGroup.values());
  }

  /** A loss in percent with the digits that matter: 0 %, 0.004 %, 1.2 %, 47 %. */
  static String percent(double p) {
    if (p == 0) {
      return "0 %";
    }
    if (p < 0.1) {
      return String.format(Locale.ROOT, "%.3f %%", p);
    }
    if (p < 10) {
      return String.format(Locale.ROOT, "%.2f %%", p);
    }
    return String.format(Locale.ROOT, "%.1f %%", p);
  }
}
