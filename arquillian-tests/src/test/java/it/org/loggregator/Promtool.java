package it.org.loggregator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus's {@code promtool} (Debian's {@code prometheus} package), run as a process. */
final class Promtool {
  static final String MISSING =
      "promtool is not installed (Debian's prometheus package: bin/install-test-deps installs it)";

  private static final Path BINARY = find("promtool");

  /** What one run printed, and how it ended. */
  record Result(int exitCode, String output) {}

  private Promtool() {}

  /** Whether promtool can be run here. */
  static boolean available() {
    return BINARY != null;
  }

  /** Runs {@code promtool} with these arguments in {@code dir}, at most two minutes. */
  static Result run(Path dir, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(List.of(arguments));
    return runCommand(dir, command);
  }

  /** Runs any {@code command} in {@code dir}, at most two minutes, its output and end read. */
  static Result runCommand(Path dir, List<String> command) {
    try {
      Process process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("did not end within 2 minutes: " + command);
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An executable of that name in /usr/bin or on the PATH; null when there is none. */
  static Path find(String name) {
    List<String> dirs = new ArrayList<>(List.of("/usr/bin"));
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    for (String dir : dirs) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
