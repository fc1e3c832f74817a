package org.loggregator.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line, split into a command, its app id and its options, and checked against the
 * options each command takes; immutable. Options take {@code --name value} or {@code --name=value};
 * a repeated option keeps every value, and the last one wins where one is used; {@code --} ends the
 * options.
 */
final class CommandLine {

  /** What the command line asks for. */
  enum Command {
    /** {@code logs APP}, and {@code logs APP --recent}. */
    LOGS("`logs APP`"),
    TOKEN("`logs token`"),
    KEYGEN("`logs keygen`"),
    HELP("`logs help`"),
    VERSION("`logs --version`");

    final String usage;

    Command(String usage) {
      this.usage = usage;
    }
  }

  private record Spec(String name, boolean takesValue, Set<Command> commands) {}

  private static final Map<String, Spec> SPECS = new LinkedHashMap<>();

  static {
    Set<Command> logs = EnumSet.of(Command.LOGS);
    Set<Command> token = EnumSet.of(Command.TOKEN);
    Set<Command> keygen = EnumSet.of(Command.KEYGEN);
    Set<Command> any = EnumSet.allOf(Command.class);
    spec("--endpoint", true, logs);
    spec("--token", true, logs);
    spec("--format", true, logs);
    spec("--config", true, logs);
    spec("--recent", false, logs);
    spec("--tz", true, logs);
    spec("--app", true, token);
    spec("--firehose", false, token);
    spec("--admin", false, token);
    spec("--ttl", true, token);
    spec("--key", true, token);
    spec("--issuer", true, token);
    spec("--audience", true, token);
    spec("--subject", true, token);
    spec("--out", true, keygen);
    spec("--force", false, keygen);
    spec("--help", false, any);
    spec("--version", false, any);
  }

  private static void spec(String name, boolean takesValue, Set<Command> commands) {
    SPECS.put(name, new Spec(name, takesValue, commands));
  }

  private final Command command;
  private final String app;
  private final Map<String, List<String>> options;

  private CommandLine(Command command, String app, Map<String, List<String>> options) {
    this.command = command;
    this.app = app;
    this.options = options;
  }

  /**
   * Parses a command line.
   *
   * @throws CommandException (exit 2) with one sentence naming the flag or argument at fault
   */
  static CommandLine parse(String... args) throws CommandException {
    Map<String, List<String>> options = new LinkedHashMap<>();
    List<String> positionals = new ArrayList<>();
    boolean optionsEnded = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
        positionals.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        optionsEnded = true;
        continue;
      }
      if (arg.equals("-h")) {
        arg = "--help";
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      Spec spec = SPECS.get(name);
      if (spec == null) {
        throw CommandException.usage(
            "Unknown option " + name + "; run `logs --help` for the options.");
      }
      String value;
      if (!spec.takesValue()) {
        if (equals >= 0) {
          throw CommandException.usage("Option " + name + " takes no value.");
        }
        value = "";
      } else if (equals >= 0) {
        value = arg.substring(equals + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      } else {
        throw CommandException.usage("Option " + name + " needs a value.");
      }
      options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    if (options.containsKey("--help")) {
      return new CommandLine(Command.HELP, null, options);
    }
    if (options.containsKey("--version")) {
      return new CommandLine(Command.VERSION, null, options);
    }
    Command command = Command.LOGS;
    String app = null;
    String first = positionals.isEmpty() ? null : positionals.get(0);
    if (first != null) {
      switch (first) {
        case "token" -> command = Command.TOKEN;
        case "keygen" -> command = Command.KEYGEN;
        case "help" -> command = Command.HELP;
        case "version" -> command = Command.VERSION;
        default -> {
          if (first.isBlank()) {
            throw CommandException.usage("The app id is empty; give one, as in `logs APP`.");
          }
          app = first;
        }
      }
    }
    if (positionals.size() > 1 && command != Command.HELP) {
      String extra = positionals.get(1);
      throw CommandException.usage(
          command == Command.LOGS
              ? "Unexpected argument \"" + extra + "\": `logs` reads one app at a time, given once."
              : "Unexpected argument \""
                  + extra
                  + "\" after "
                  + first
                  + (command == Command.TOKEN ? "; name apps with --app ID." : "."));
    }
    for (String name : options.keySet()) {
      Spec spec = SPECS.get(name);
      if (command != Command.HELP
          && command != Command.VERSION
          && !spec.commands().contains(command)) {
        Command owner = spec.commands().iterator().next();
        throw CommandException.usage(
            "Option " + name + " belongs to " + owner.usage + ", not to " + command.usage + ".");
      }
    }
    if (command == Command.LOGS && app == null) {
      throw CommandException.usage(
          "Give the app id whose logs to read, as in `logs APP`; run `logs --help` for more.");
    }
    return new CommandLine(command, app, options);
  }

  Command command() {
    return command;
  }

  /** The app id of {@code logs APP}, or null for the other commands. */
  String app() {
    return app;
  }

  boolean has(String option) {
    return options.containsKey(option);
  }

  /** The last value of an option, or null when it is absent. */
  String value(String option) {
    List<String> values = options.get(option);
    return values == null ? null : values.get(values.size() - 1);
  }

  /** Every value of a repeatable option, in order. */
  List<String> values(String option) {
    return options.getOrDefault(option, List.of());
  }
}
