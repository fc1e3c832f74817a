package org.loggregator.cli;

import java.io.PrintStream;
import java.util.List;
import org.loggregator.cli.format.TerminalText;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Turns what picocli could not parse into one sentence naming the flag or argument at fault, on
 * stderr, and exit code 2; never a usage dump or a stack trace.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {
  private final PrintStream out;
  private final PrintStream err;

  UsageErrors(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException e, String[] args) {
    out.flush();
    err.println(sentence(e));
    err.flush();
    return ExitCode.USAGE.status();
  }

  static String sentence(CommandLine.ParameterException e) {
    CommandLine where = e.getCommandLine();
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched
        && !unmatched.getUnmatched().isEmpty()) {
      return unmatched(where, unmatched.getUnmatched().get(0));
    }
    ArgSpec arg = e.getArgSpec();
    if (e instanceof CommandLine.MissingParameterException missing) {
      List<ArgSpec> args = missing.getMissing();
      arg = args.isEmpty() ? arg : args.get(0);
    }
    if (arg instanceof OptionSpec option) {
      return option.arity().max() == 0
          ? "Option " + option.longestName() + " takes no value."
          : "Option " + option.longestName() + " needs a value.";
    }
    String message = TerminalText.escape(e.getMessage());
    return message.endsWith(".") ? message : message + ".";
  }

  private static String unmatched(CommandLine where, String arg) {
    String shown = TerminalText.escape(arg);
    if (arg.startsWith("-") && arg.length() > 1) {
      int eq = arg.indexOf('=');
      String name = TerminalText.escape(eq < 0 ? arg : arg.substring(0, eq));
      String owner = ownerOf(root(where), eq < 0 ? arg : arg.substring(0, eq));
      return owner == null
          ? "Unknown option " + name + "; run `logs --help` for the options."
          : "Option " + name + " belongs to " + owner + ", not to " + usage(where) + ".";
    }
    if (where.getParent() == null) {
      return "Unexpected argument \"" + shown + "\": `logs` reads one app at a time, given once.";
    }
    return "Unexpected argument \""
        + shown
        + "\" after "
        + where.getCommandName()
        + ("token".equals(where.getCommandName()) ? "; name apps with --app ID." : ".");
  }

  /** The command, as in a sentence: {@code `logs APP`} or {@code `logs token`}. */
  private static String usage(CommandLine command) {
    return command.getParent() == null ? "`logs APP`" : "`logs " + command.getCommandName() + "`";
  }

  /** The command that has an option of this name, or null when none has. */
  private static String ownerOf(CommandLine root, String name) {
    if (root.getCommandSpec().findOption(name) != null) {
      return usage(root);
    }
    for (CommandLine sub : root.getSubcommands().values()) {
      if (sub.getCommandSpec().findOption(name) != null) {
        return usage(sub);
      }
    }
    return null;
  }

  private static CommandLine root(CommandLine command) {
    CommandLine c = command;
    while (c.getParent() != null) {
      c = c.getParent();
    }
    return c;
  }
}
