package org.loggregator.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What one run of the command gets from its process: its output streams, environment, home
 * directory, a way to run code on Ctrl-C, and whether standard output is a terminal. Immutable.
 *
 * @param out where log lines, tokens, help and completion scripts go
 * @param err where errors, warnings and reconnection notices go
 * @param env the process environment
 * @param home the user's home directory (for the default config file), or null
 * @param shutdownHooks registers what to run on Ctrl-C (a JVM shutdown hook in production)
 * @param stdoutIsTerminal whether standard output is a terminal (for {@code --color auto})
 */
record Invocation(
    PrintStream out,
    PrintStream err,
    Map<String, String> env,
    Path home,
    Consumer<Runnable> shutdownHooks,
    boolean stdoutIsTerminal) {

  /** The value of an environment variable, or null when it is unset or blank. */
  String variable(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value;
  }
}
