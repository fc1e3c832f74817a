package org.loggregator.agent;

import java.io.PrintStream;

/**
 * The agent's own messages, on its stderr, each line prefixed {@code agent: }; never per envelope.
 * Thread-safe (PrintStream is).
 */
public final class AgentLog {

  private final PrintStream err;
  private final boolean quiet;

  public AgentLog(PrintStream err, boolean quiet) {
    this.err = err;
    this.quiet = quiet;
  }

  /** Start-up facts and the exit summary; suppressed by --quiet. */
  public void info(String message) {
    if (!quiet) {
      err.println("agent: " + message);
    }
  }

  public void warn(String message) {
    err.println("agent: warning: " + message);
  }

  public void error(String message) {
    err.println("agent: " + message);
  }
}
