package org.loggregator.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** {@code java -jar logs.jar ARGS}: runs the {@code logs} command and exits with its status. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // UTF-8 whatever the locale, buffered, flushed after each envelope and at the end.
    PrintStream out =
        new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
            false,
            StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    String userHome = System.getProperty("user.home");
    int status =
        new LogsCommand(
                new Invocation(
                    out,
                    err,
                    System.getenv(),
                    userHome == null ? null : Path.of(userHome),
                    hook -> Runtime.getRuntime().addShutdownHook(new Thread(hook, "logs-shutdown")),
                    stdoutIsTerminal()))
            .run(args);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /**
   * Whether standard output is a terminal: the launcher says so ({@code -Dlogs.stdout.terminal},
   * from {@code [ -t 1 ]}); without it, whether the JVM has a console (stdin and stdout both
   * terminals).
   */
  static boolean stdoutIsTerminal() {
    String said = System.getProperty("logs.stdout.terminal");
    if (said != null && !said.isBlank()) {
      return Boolean.parseBoolean(said.trim());
    }
    return System.console() != null;
  }
}
