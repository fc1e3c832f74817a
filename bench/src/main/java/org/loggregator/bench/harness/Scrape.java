package org.loggregator.bench.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the figures the harnesses compare: Prometheus text, the kernel's UDP and CPU figures, and
 * runs {@code jcmd} in the processes measured.
 */
final class Scrape {
  private Scrape() {}

  static String get(HttpClient client, String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered HTTP " + response.statusCode() + ".");
    }
    return response.body();
  }

  /**
   * The sum of the samples of {@code name} in Prometheus text whose labels contain every one of
   * {@code labels} (each written {@code key="value"}); 0 when there is none.
   */
  static double sum(String text, String name, String... labels) {
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space);
      String rest = series.substring(name.length());
      if (!rest.isEmpty() && rest.charAt(0) != '{') {
        continue; // another metric whose name starts with this one
      }
      boolean all = true;
      for (String label : labels) {
        all &= rest.contains(label);
      }
      if (all) {
        total += Double.parseDouble(line.substring(space + 1).trim());
      }
    }
    return total;
  }

  /**
   * {@code Udp: RcvbufErrors} of {@code /proc/net/snmp}: datagrams the kernel dropped, all sockets.
   */
  static long udpReceiveBufferErrors(Path snmp) throws IOException {
    List<String> udp =
        Files.readAllLines(snmp).stream().filter(l -> l.startsWith("Udp: ")).toList();
    String[] names = udp.get(0).split("\\s+");
    String[] values = udp.get(1).split("\\s+");
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals("RcvbufErrors")) {
        return Long.parseLong(values[i]);
      }
    }
    throw new IOException(snmp + " has no Udp RcvbufErrors.");
  }

  /** CPU seconds (user + system) a process has used, from {@code /proc/PID/stat}. */
  static double cpuSeconds(long pid, int clockTicksPerSecond) throws IOException {
    double[] userAndSystem =
        cpuSecondsOf(
            Files.readString(Path.of("/proc", Long.toString(pid), "stat")), clockTicksPerSecond);
    return userAndSystem[0] + userAndSystem[1];
  }

  /** User and system CPU seconds of a process's or thread's {@code stat} line. */
  private static double[] cpuSecondsOf(String stat, int clockTicksPerSecond) {
    // The command name, in parentheses, may hold spaces: count the fields after its end.
    String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long utime = Long.parseLong(after[11]);
    long stime = Long.parseLong(after[12]);
    return new double[] {
      (double) utime / clockTicksPerSecond, (double) stime / clockTicksPerSecond
    };
  }

  /**
   * CPU seconds each thread of a process has used, user and system, from {@code
   * /proc/PID/task/TID/stat}, summed by the thread's name as the kernel keeps it (the first 15
   * characters of a Java thread's name, such as {@code udp-listener-13}). A thread that ends
   * between two readings takes its seconds with it.
   */
  static Map<String, double[]> threadCpuSeconds(long pid, int clockTicksPerSecond)
      throws IOException {
    Map<String, double[]> byName = new TreeMap<>();
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (NoSuchFileException ended) {
          continue;
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        byName.merge(
            name,
            cpuSecondsOf(stat, clockTicksPerSecond),
            (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
      }
    }
    return byName;
  }

  /** Runs {@code jcmd PID ARGS...}; fails with its output when it exits other than 0. */
  static void jcmd(long pid, List<String> arguments) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
    line.addAll(arguments);
    Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
    String output = new String(jcmd.getInputStream().readAllBytes());
    if (jcmd.waitFor() != 0) {
      throw new IOException(String.join(" ", line) + " failed: " + output.trim());
    }
  }
}
