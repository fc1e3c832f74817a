package org.loggregator.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code logs} command: parses the command line with picocli, runs one command and returns its
 * exit status. One instance runs one command line; output goes to its {@link Invocation}'s streams,
 * never to {@code System}'s. Failures are one sentence on stderr with the documented exit code.
 */
public final class LogsCommand {
  private final Invocation invocation;

  LogsCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  /** Runs one command line and returns its exit status; prints failures as one sentence. */
  public int run(String... args) {
    try {
      return commandLine(invocation).execute(args);
    } finally {
      invocation.out().flush();
      invocation.err().flush();
    }
  }

  /** The whole command tree: {@code logs APP} and its subcommands, as one run uses it. */
  static CommandLine commandLine(Invocation invocation) {
    CommandLine cli =
        new CommandLine(new ReadCommand(invocation))
            .addSubcommand("token", new TokenCommand(invocation))
            .addSubcommand("keygen", new KeygenCommand(invocation))
            .addSubcommand("completion", new CompletionCommand(invocation))
            .addSubcommand("help", new CommandLine.HelpCommand())
            .addSubcommand("version", new VersionCommand(invocation));
    // Set last: these reach only the subcommands added before.
    cli.setOut(writer(invocation.out()));
    cli.setErr(writer(invocation.err()));
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    cli.setOverwrittenOptionsAllowed(true); // the last of a repeated option wins
    cli.setParameterExceptionHandler(new UsageErrors(invocation.out(), invocation.err()));
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> failed(e, invocation.out(), invocation.err(), invocation.env()));
    return cli;
  }

  private static int failed(
      Exception e, PrintStream out, PrintStream err, Map<String, String> env) {
    out.flush();
    if (e instanceof CommandException c) {
      err.println(c.getMessage());
      return c.exitCode().status();
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return ExitCode.INTERRUPTED.status();
    }
    err.println("Unexpected error: " + e + " (set LOGS_DEBUG=1 for the stack trace).");
    if (env.containsKey("LOGS_DEBUG")) {
      e.printStackTrace(err);
    }
    return ExitCode.UNEXPECTED.status();
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }
}
