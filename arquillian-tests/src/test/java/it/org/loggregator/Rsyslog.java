package it.org.loggregator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real rsyslog daemon as a drain, started by the tests themselves: Debian's {@code rsyslogd} in
 * the foreground with its own config file, pid file and work directory under {@code target/}, an
 * imtcp listener on 127.0.0.1 taking RFC 6587 octet-counted frames (plain or, with certificates,
 * TLS through the openssl stream driver), and an output file holding each received message raw: one
 * line per frame, the frame after its octet count, with control characters escaped by rsyslog
 * ({@code \n} as {@code #012}) and the trailing newline kept, so that a test can compare frames
 * exactly. Stopped by its own pid.
 */
final class Rsyslog implements AutoCloseable {
  private static final Path RSYSLOGD =
      Files.isExecutable(Path.of("/usr/sbin/rsyslogd"))
          ? Path.of("/usr/sbin/rsyslogd")
          : Path.of("rsyslogd");

  /** A TLS listener: the certificate and key it presents, in PEM. */
  record Tls(Path certificate, Path key) {}

  private final Path dir;
  private final int port;
  private final Tls tls;
  private final Path output;
  private Process process;
  private int generation;

  private Rsyslog(Path dir, int port, Tls tls) {
    this.dir = dir;
    this.port = port;
    this.tls = tls;
    this.output = dir.resolve("received.log");
  }

  /** Starts a plain TCP listener on a free port. */
  static Rsyslog startTcp(String name) {
    return start(name, null);
  }

  /** Starts a TLS listener on a free port, presenting the given certificate. */
  static Rsyslog startTls(String name, Tls tls) {
    return start(name, tls);
  }

  private static Rsyslog start(String name, Tls tls) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "rsyslog", name).toAbsolutePath());
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          if (Files.isRegularFile(f)) {
            Files.delete(f);
          }
        }
      }
      Rsyslog rsyslog = new Rsyslog(dir, freePort(), tls);
      rsyslog.start();
      return rsyslog;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  private String config() {
    String driver =
        tls == null
            ? ""
            : " streamDriver.name=\"ossl\" streamDriver.mode=\"1\" streamDriver.authMode=\"anon\"";
    String inputTls =
        tls == null
            ? ""
            : " streamDriver.certFile=\""
                + tls.certificate().toAbsolutePath()
                + "\" streamDriver.keyFile=\""
                + tls.key().toAbsolutePath()
                + "\"";
    return "global(workDirectory=\""
        + dir
        + "\" maxMessageSize=\"64k\" parser.dropTrailingLFOnReception=\"off\")\n"
        + "module(load=\"imtcp\""
        + driver
        + ")\n"
        + "input(type=\"imtcp\" address=\"127.0.0.1\" port=\""
        + port
        + "\" ruleset=\"drain\""
        + inputTls
        + ")\n"
        + "template(name=\"raw\" type=\"string\" string=\"%rawmsg%\\n\")\n"
        + "ruleset(name=\"drain\") {\n"
        + "  action(type=\"omfile\" file=\""
        + output
        + "\" template=\"raw\")\n"
        + "}\n";
  }

  /** Starts (or starts again, on the same port) the daemon and waits until it listens. */
  void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      Path conf = Files.writeString(dir.resolve("rsyslog.conf"), config());
      generation++;
      process =
          new ProcessBuilder(
                  RSYSLOGD.toString(),
                  "-n",
                  "-f",
                  conf.toString(),
                  "-i",
                  dir.resolve("rsyslogd.pid").toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("rsyslogd-" + generation + ".out").toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot run "
              + RSYSLOGD
              + " (install rsyslog and rsyslog-openssl: bin/install-test-deps).",
          e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("rsyslogd exited: " + daemonOutput());
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    throw new IllegalStateException("rsyslogd did not listen on " + port + ": " + daemonOutput());
  }

  /** Stops the daemon by its pid (SIGTERM, then SIGKILL after 10 s) and waits until it is gone. */
  void stop() {
    if (process == null) {
      return;
    }
    ProcessHandle handle = process.toHandle();
    handle.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        handle.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }

  int port() {
    return port;
  }

  /** Every frame received so far, one per line as described above. */
  List<String> lines() {
    try {
      if (!Files.exists(output)) {
        return List.of();
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (!line.isEmpty()) {
          lines.add(line);
        }
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until {@code count} received lines match, at most {@code seconds}; the matching lines.
   */
  List<String> await(Predicate<String> matching, int count, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<String> found = List.of();
    while (System.nanoTime() < deadline) {
      found = lines().stream().filter(matching).toList();
      if (found.size() >= count) {
        return found;
      }
      sleep(100);
    }
    return found;
  }

  /** What the daemon printed (its start-up errors, if any). */
  String daemonOutput() {
    try {
      return Files.readString(dir.resolve("rsyslogd-" + generation + ".out"));
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
