package org.loggregator.cli;

/**
 * A failure the user can act on: one sentence saying what to fix, and the exit code that goes with
 * it. The command prints the sentence alone, never a stack trace.
 */
public final class CommandException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  public CommandException(ExitCode exitCode, String sentence) {
    super(sentence, null, false, false);
    this.exitCode = exitCode;
  }

  /** A bad flag or argument (exit 2). */
  public static CommandException usage(String sentence) {
    return new CommandException(ExitCode.USAGE, sentence);
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
