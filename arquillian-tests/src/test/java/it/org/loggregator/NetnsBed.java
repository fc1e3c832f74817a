package it.org.loggregator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces as hosts, through {@code bin/netns-bed}: one namespace per server, agent and
 * client, each with its own address on a bridge of its own, and the processes started in them. It
 * removes exactly what it made: its processes by process group, then its namespaces, veths and
 * bridge by name.
 */
final class NetnsBed implements AutoCloseable {
  static final Path SCRIPT =
      Path.of(System.getProperty("it.loggregator.script")).resolveSibling("netns-bed");

  private final String prefix;
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private final List<Process> processes = new ArrayList<>();

  private NetnsBed(String prefix) {
    this.prefix = prefix;
  }

  /** Why no bed can be made here (not root, no namespaces or veths), or null when it can. */
  static String unavailable() {
    try {
      Result r = run(List.of(SCRIPT.toString(), "check"));
      return r.code == 0 ? null : r.out.strip();
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /** The kind of loss this kernel can do: "netem", "nftables" or "no-loss". */
  static String lossKind() throws IOException {
    return run(List.of(SCRIPT.toString(), "check")).out.strip().replaceFirst("^ok ", "");
  }

  /**
   * Makes namespaces {@code prefix-NAME} on a bridge, with addresses {@code subnet.11}, {@code
   * subnet.12}, … in the order of the names.
   */
  static NetnsBed up(String prefix, String subnet, List<String> names) throws IOException {
    NetnsBed bed = new NetnsBed(prefix);
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString(), "up", prefix, subnet));
    command.addAll(names);
    Result r = run(command);
    for (String line : r.out.lines().toList()) {
      String[] parts = line.split(" ");
      if (parts.length == 2) {
        bed.addresses.put(parts[0], parts[1]);
      }
    }
    if (r.code != 0 || bed.addresses.size() != names.size()) {
      bed.removeNamespaces(names);
      throw new IOException("netns-bed up failed: " + r.out);
    }
    return bed;
  }

  String address(String name) {
    return addresses.get(name);
  }

  /** Takes the namespace's link down: nothing comes in or goes out. */
  void cut(String name) throws IOException {
    check(run(List.of(SCRIPT.toString(), "cut", prefix, name)));
  }

  void restore(String name) throws IOException {
    check(run(List.of(SCRIPT.toString(), "restore", prefix, name)));
  }

  /** Drops {@code percent} % of the packets (each fragment a draw) on the namespace's link. */
  void loss(String name, int percent) throws IOException {
    check(run(List.of(SCRIPT.toString(), "loss", prefix, name, "" + percent)));
  }

  /** Packets that left the namespace's eth0 so far (each IP fragment counts). */
  long packetsSent(String name) throws IOException {
    Result r =
        run(
            List.of(
                "ip",
                "netns",
                "exec",
                prefix + "-" + name,
                "cat",
                "/sys/class/net/eth0/statistics/tx_packets"));
    check(r);
    return Long.parseLong(r.out.strip());
  }

  /** Runs a command in the namespace to its end (at most 30 s): its exit code and output. */
  Result exec(String name, String... command) throws IOException {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", prefix + "-" + name));
    all.addAll(List.of(command));
    return run(all);
  }

  /**
   * Starts a command in the namespace, in a process group of its own (so that it is stopped with
   * every child), with more environment variables; its output goes to {@code log} (null: read it
   * from the process).
   */
  Process start(String name, Map<String, String> env, Path log, List<String> command)
      throws IOException {
    List<String> all =
        new ArrayList<>(List.of("setsid", "ip", "netns", "exec", prefix + "-" + name));
    all.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(all);
    builder.environment().putAll(env);
    if (log != null) {
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
    } else {
      builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    Process p = builder.start();
    synchronized (processes) {
      processes.add(p);
    }
    return p;
  }

  /** Stops a process this bed started and its group: TERM, then KILL after 20 s. */
  void stop(Process p) {
    signal(p, "TERM");
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        signal(p, "KILL");
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      signal(p, "KILL");
      Thread.currentThread().interrupt();
    }
    synchronized (processes) {
      processes.remove(p);
    }
  }

  private static void signal(Process p, String signal) {
    try {
      // setsid made the process the leader of its group: the group id is its pid.
      new ProcessBuilder("kill", "-" + signal, "--", "-" + p.pid())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      p.destroyForcibly();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    List<Process> left;
    synchronized (processes) {
      left = new ArrayList<>(processes);
    }
    for (Process p : left) {
      signal(p, "TERM");
    }
    for (Process p : left) {
      stop(p);
    }
    removeNamespaces(new ArrayList<>(addresses.keySet()));
  }

  private void removeNamespaces(List<String> names) {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString(), "down", prefix));
    command.addAll(names);
    try {
      Result r = run(command);
      if (r.code != 0) {
        System.err.println("[bed] netns-bed down: " + r.out);
      }
    } catch (IOException e) {
      System.err.println("[bed] netns-bed down: " + e);
    }
  }

  record Result(int code, String out) {}

  private static void check(Result r) throws IOException {
    if (r.code != 0) {
      throw new IOException(r.out);
    }
  }

  private static Result run(List<String> command) throws IOException {
    Path out = Files.createTempFile("netns-bed", ".out");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, String.join(" ", command) + " did not end within 30 s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
