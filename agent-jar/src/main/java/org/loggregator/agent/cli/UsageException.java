package org.loggregator.agent.cli;

/**
 * A command line or settings file the agent cannot run with; the message is one sentence that names
 * the flag or key to fix. The agent prints it and exits with {@link #EXIT_CODE}.
 */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The exit code for usage errors. */
  public static final int EXIT_CODE = 2;

  public UsageException(String message) {
    super(message, null, false, false);
  }
}
