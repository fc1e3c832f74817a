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
                out,
                err,
                System.getenv(),
                userHome == null ? null : Path.of(userHome),
                hook -> Runtime.getRuntime().addShutdownHook(new Thread(hook, "logs-shutdown")))
            .run(args);
    out.flush();
    err.flush();
    System.exit(status);
  }
}
