package org.loggregator.agent;

import java.io.PrintStream;

/**
 * The agent's own messages, on its stderr, each line prefixed {@code agent: }; never per envelope.
 * Thread-safe (PrintStream is).
 */
final class AgentLog {

  private final PrintStream err;
  private final boolean quiet;

  AgentLog(PrintStream err, boolean quiet) {
    this.err = err;
    this.quiet = quiet;
  }

  /** Start-up facts and the exit summary; suppressed by --quiet. */
  void info(String message) {
    if (!quiet) {
      err.println("agent: " + message);
    }
  }

  void warn(String message) {
    err.println("agent: warning: " + message);
  }

  void error(String message) {
    err.println("agent: " + message);
  }
}
