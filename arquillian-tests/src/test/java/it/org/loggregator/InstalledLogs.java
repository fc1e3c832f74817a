package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@code logs} command as a user installs it ({@code bin/install-logs --prefix DIR}) and runs
 * it: by name from the PATH, in a working directory of its own, with only the environment given (no
 * config file: {@code HOME} and {@code XDG_CONFIG_HOME} point at empty folders).
 */
final class InstalledLogs {
  private final Path bin;
  private final Path cwd;
  private final Path home;

  /** A finished run: exit status, stdout and stderr. */
  record Result(int status, String out, String err) {}

  private InstalledLogs(Path bin, Path cwd, Path home) {
    this.bin = bin;
    this.cwd = cwd;
    this.home = home;
  }

  /** Installs into {@code dir}/prefix with the repository's script; runs in {@code dir}/work. */
  static InstalledLogs install(Path dir) throws Exception {
    Path script =
        Path.of(System.getProperty("it.loggregator.script")).resolveSibling("install-logs");
    Path prefix = dir.resolve("prefix");
    Process install =
        new ProcessBuilder(script.toString(), "--prefix", prefix.toString())
            .redirectErrorStream(true)
            .start();
    String said = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(install.waitFor(600, TimeUnit.SECONDS), said);
    assertEquals(0, install.exitValue(), said);
    assertTrue(Files.isSymbolicLink(prefix.resolve("bin/logs")), said);
    assertTrue(Files.isRegularFile(prefix.resolve("share/man/man1/logs.1")), said);
    return new InstalledLogs(
        prefix.resolve("bin"),
        Files.createDirectories(dir.resolve("work")),
        Files.createDirectories(dir.resolve("home")));
  }

  private ProcessBuilder builder(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of("sh", "-c", "exec logs \"$@\"", "logs"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
    Map<String, String> e = builder.environment();
    e.keySet().removeIf(k -> k.startsWith("LOGS_") || k.equals("NO_COLOR"));
    e.put("PATH", bin + ":" + System.getenv("PATH"));
    e.put("JAVA_HOME", System.getProperty("java.home"));
    e.put("HOME", home.toString());
    e.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    e.put("TZ", "UTC");
    e.putAll(env);
    return builder;
  }

  /** Runs to the end (at most a minute). */
  Result run(Map<String, String> env, String... args) throws Exception {
    Process p = builder(env, args).start();
    java.util.concurrent.CompletableFuture<byte[]> err =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "logs " + String.join(" ", args) + " ended");
    return new Result(p.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8));
  }

  /** Starts a run that goes on (a tail), its output read line by line as it comes. */
  Running start(Map<String, String> env, String... args) throws IOException {
    return new Running(builder(env, args).start());
  }

  /** A run that goes on: its stdout lines and stderr lines as they come. */
  static final class Running implements AutoCloseable {
    final Process process;
    final BlockingQueue<String> out = new LinkedBlockingQueue<>();
    final BlockingQueue<String> err = new LinkedBlockingQueue<>();

    Running(Process process) {
      this.process = process;
      pump(process.getInputStream(), out);
      pump(process.getErrorStream(), err);
    }

    /** The next stdout line, or null when none comes within {@code seconds}. */
    String nextLine(int seconds) throws InterruptedException {
      return out.poll(seconds, TimeUnit.SECONDS);
    }

    /** Ctrl-C, as a terminal sends it; returns the exit status. */
    int interrupt() throws Exception {
      new ProcessBuilder("kill", "-INT", "" + process.pid()).start().waitFor();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "logs ends on SIGINT");
      return process.exitValue();
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }

    private static void pump(java.io.InputStream in, BlockingQueue<String> lines) {
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // the process is gone
                }
              });
      t.setDaemon(true);
      t.start();
    }
  }

  private static byte[] readAll(java.io.InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
