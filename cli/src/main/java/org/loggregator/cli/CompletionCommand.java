package org.loggregator.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code logs completion bash|zsh}: prints a completion script for the shell, picocli's bash
 * script, which zsh runs through its bash compatibility.
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    versionProvider = Help.Version.class,
    header = "Print a shell completion script for logs.",
    synopsisHeading = "%nUsage: ",
    parameterListHeading = "%nArguments:%n",
    optionListHeading = "%nOptions:%n",
    footer = {
      "",
      "bash: source <(logs completion bash), or save it as"
          + " ~/.local/share/bash-completion/completions/logs",
      "zsh:  source <(logs completion zsh) in ~/.zshrc"
    })
final class CompletionCommand implements Callable<Integer> {
  /** What zsh needs before it can run a bash completion script. */
  static final String ZSH_PRELUDE =
      """
      # zsh: run the bash completion below through zsh's bash compatibility.
      autoload -U +X compinit && compinit
      autoload -U +X bashcompinit && bashcompinit
      """;

  private final Invocation invocation;

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "SHELL",
      completionCandidates = Candidates.Shells.class,
      description = "bash or zsh")
  String shell;

  CompletionCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws CommandException {
    String which = shell.trim().toLowerCase(Locale.ROOT);
    if (!which.equals("bash") && !which.equals("zsh")) {
      throw CommandException.usage(
          "Give the shell to complete for, bash or zsh, as in `logs completion bash`.");
    }
    String script = AutoComplete.bash("logs", spec.root().commandLine());
    invocation.out().print(which.equals("zsh") ? ZSH_PRELUDE + script : script);
    return ExitCode.OK.status();
  }
}
