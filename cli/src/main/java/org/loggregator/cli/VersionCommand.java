package org.loggregator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code logs version}: the same as {@code logs --version}, kept for those used to it. */
@Command(name = "version", hidden = true, description = "Print the version.")
final class VersionCommand implements Callable<Integer> {
  private final Invocation invocation;

  VersionCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() {
    invocation.out().println(Help.version());
    return ExitCode.OK.status();
  }
}
