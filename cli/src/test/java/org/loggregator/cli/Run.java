package org.loggregator.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** One run of the command with captured output, no shutdown hooks, a given environment. */
public record Run(int status, String out, String err) {

  public static Run of(Map<String, String> env, Path home, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int status = new LogsCommand(new Invocation(o, e, env, home, hook -> {}, false)).run(args);
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** With an empty environment and no home directory (so no default config file). */
  public static Run of(String... args) {
    return of(Map.of(), null, args);
  }

  /** The error output is exactly one line, one sentence. */
  public boolean errIsOneSentence() {
    String trimmed = err.strip();
    return !trimmed.isEmpty()
        && !trimmed.contains("\n")
        && (trimmed.endsWith(".") || trimmed.endsWith("`."))
        && !trimmed.contains("Exception")
        && !trimmed.contains("\tat ");
  }
}
