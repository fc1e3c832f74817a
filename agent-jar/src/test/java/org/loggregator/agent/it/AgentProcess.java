package org.loggregator.agent.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.loggregator.protocol.TestSecrets;
import org.loggregator.protocol.events.Envelope;

/**
 * The agent JAR run as a process, as an operator runs it ({@code java [jvm options] -jar agent.jar
 * …}), with its stdout and stderr collected. Close it to kill it (by its own handle) if it is still
 * running.
 */
final class AgentProcess implements AutoCloseable {

  static final Path JAR = Path.of(System.getProperty("agent.jar", "target/agent.jar"));
  static final Path TEST_CLASSES =
      Path.of(System.getProperty("agent.testClasses", "target/test-classes"));
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private final Process process;
  private final long startNanos;
  private final StringBuffer out = new StringBuffer();
  private final StringBuffer err = new StringBuffer();
  private final Thread outReader;
  private final Thread errReader;

  private AgentProcess(Process process, long startNanos) {
    this.process = process;
    this.startNanos = startNanos;
    this.outReader = pump(process.getInputStream(), out);
    this.errReader = pump(process.getErrorStream(), err);
  }

  /**
   * Starts {@code java JVM_OPTIONS -jar agent.jar ARGS}, with {@code --shared-secret} {@link
   * TestSecrets#SECRET} after the mode unless ARGS name a secret themselves (or a settings file).
   */
  static AgentProcess start(List<String> jvmOptions, String... args) throws IOException {
    return startExactly(jvmOptions, withSecret(args));
  }

  static AgentProcess start(String... args) throws IOException {
    return start(List.of(), args);
  }

  /** ARGS with the test secret when they name none (before {@code --}) and have a mode. */
  static String[] withSecret(String... args) {
    if (args.length == 0 || !(args[0].equals("serve") || args[0].equals("run"))) {
      return args;
    }
    for (String arg : args) {
      if (arg.equals("--")) {
        break;
      }
      if (arg.startsWith("--shared-secret") || arg.startsWith("--config")) {
        return args;
      }
    }
    List<String> with = new ArrayList<>(List.of(args));
    with.addAll(1, List.of("--shared-secret", TestSecrets.SECRET));
    return with.toArray(String[]::new);
  }

  /** Starts {@code java JVM_OPTIONS -jar agent.jar ARGS}, ARGS exactly as given. */
  static AgentProcess startExactly(List<String> jvmOptions, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(JAVA);
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    long start = System.nanoTime();
    return new AgentProcess(new ProcessBuilder(command).start(), start);
  }

  static AgentProcess startExactly(String... args) throws IOException {
    return startExactly(List.of(), args);
  }

  /** The command line that runs {@link LineWriter} as a child. */
  static List<String> lineWriter(int lines, Path timingFile) {
    return List.of(
        JAVA,
        "-Xshare:auto",
        "-cp",
        TEST_CLASSES.toString(),
        LineWriter.class.getName(),
        Integer.toString(lines),
        timingFile.toString());
  }

  private static Thread pump(InputStream in, StringBuffer into) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try {
                int n;
                while ((n = in.read(buf)) > 0) {
                  into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
              } catch (IOException e) {
                // the process is gone
              }
            });
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Sends SIGTERM through the process handle: {@link Process#destroy()} would also close this
   * side's pipes, losing what the agent writes while it stops.
   */
  void sigterm() {
    process.toHandle().destroy();
  }

  Process process() {
    return process;
  }

  /** Waits up to 60 s for the exit and for both streams to end; returns the exit code. */
  int waitForExit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the agent did not exit; stderr so far:\n" + err);
    }
    outReader.join(10_000);
    errReader.join(10_000);
    return process.exitValue();
  }

  /** Milliseconds from start to exit (after {@link #waitForExit()}). */
  long millisSinceStart() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /** Waits up to 30 s until stderr holds a line matching {@code condition}; returns that line. */
  String awaitStderrLine(Predicate<String> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (String line : err.toString().split("\n")) {
        if (condition.test(line)) {
          return line;
        }
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no such line on the agent's stderr:\n" + err);
  }

  String stdout() {
    return out.toString();
  }

  String stderr() {
    return err.toString();
  }

  /** Peak resident set of the process so far, from /proc (KiB); -1 when it is gone. */
  long peakRssKib() {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(
              Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // exited
    }
    return -1;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /** Whether {@code e} is one of the agent's own counters, {@code name}, at {@code total}. */
  static boolean isAgentCounter(Envelope e, String name, long total) {
    return e.getOrigin().equals("MetronAgent")
        && e.getCounterEvent().getName().equals(name)
        && e.getCounterEvent().getTotal() == total;
  }
}
