package org.loggregator.agent.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The agent's arguments as given: the mode, the options, the command to run, and the properties
 * file {@code --config} names; only their syntax is checked here, their values by {@link
 * AgentCommandLine}.
 *
 * <p>Options are {@code --name value} or {@code --name=value}; switches take no value ({@code
 * --pass-through}) or {@code =true}/{@code =false}. The command starts after {@code --} or at the
 * first argument that is not an option. A flag wins over the same key in the file; {@code --drain}
 * may be repeated (in the file: {@code drain} lists URLs separated by spaces or commas).
 */
final class AgentArguments {

  private final Map<String, String> flags = new HashMap<>();
  private final List<String> drainFlags = new ArrayList<>();
  private final Properties file = new Properties();
  private String fileName;
  private AgentConfig.Mode mode;
  private final List<String> command = new ArrayList<>();
  private boolean help;

  private AgentArguments() {}

  /**
   * Splits {@code args}, reading the {@code --config} file if one is named; when the help is asked
   * for, the result says so and holds nothing else.
   */
  static AgentArguments parse(String[] args) throws UsageException {
    AgentArguments arguments = new AgentArguments();
    arguments.parseArgs(args);
    return arguments;
  }

  private void parseArgs(String[] args) throws UsageException {
    if (args.length == 0) {
      throw new UsageException(
          "Missing mode: use 'agent serve' or 'agent run --app-id ID -- COMMAND' (see --help).");
    }
    String first = args[0];
    if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
      help = true;
      return;
    }
    mode =
        switch (first) {
          case "serve" -> AgentConfig.Mode.SERVE;
          case "run" -> AgentConfig.Mode.RUN;
          default ->
              throw new UsageException(
                  "Unknown mode \"" + first + "\": use 'agent serve' or 'agent run' (see --help).");
        };
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        command.addAll(List.of(args).subList(i + 1, args.length));
        break;
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        if (mode == AgentConfig.Mode.RUN) {
          command.addAll(List.of(args).subList(i, args.length));
          break;
        }
        throw new UsageException(
            "Unexpected argument \"" + arg + "\": serve mode takes only options (see --help).");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      Option option =
          Option.byKey(name)
              .orElseThrow(() -> new UsageException("Unknown option --" + name + " (see --help)."));
      if (option == Option.HELP) {
        help = true;
        return;
      }
      if (option.scope() == Option.Scope.RUN && mode == AgentConfig.Mode.SERVE) {
        throw new UsageException("Option " + option.flag() + " applies only to run mode.");
      }
      if (option.scope() == Option.Scope.SERVE && mode == AgentConfig.Mode.RUN) {
        throw new UsageException("Option " + option.flag() + " applies only to serve mode.");
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (option.isSwitch()) {
        value = "true";
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException(
            "Option " + option.flag() + " needs a value (" + option.argument() + ").");
      }
      if (option.isRepeatable()) {
        drainFlags.add(value);
      } else if (flags.put(option.key(), value) != null) {
        throw new UsageException("Option " + option.flag() + " is given more than once.");
      }
    }
    if (flags.containsKey(Option.CONFIG.key())) {
      readFile(Path.of(flags.get(Option.CONFIG.key())));
    }
  }

  private void readFile(Path path) throws UsageException {
    fileName = path.toString();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      file.load(reader);
    } catch (NoSuchFileException e) {
      throw new UsageException("Option --config names a file that does not exist: " + path + ".");
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(
          "Option --config names a file that cannot be read: " + path + " (" + e + ").");
    }
    for (String key : file.stringPropertyNames()) {
      Optional<Option> option = Option.byKey(key);
      if (option.isEmpty() || option.get() == Option.CONFIG || option.get() == Option.HELP) {
        throw new UsageException("Unknown setting \"" + key + "\" in " + fileName + ".");
      }
    }
  }

  /** Whether the help was asked for; then nothing else was read. */
  boolean help() {
    return help;
  }

  AgentConfig.Mode mode() {
    return mode;
  }

  /** The command to run and its arguments; empty when none was given. */
  List<String> command() {
    return command;
  }

  /** The name of the {@code --config} file, or null when there is none. */
  String fileName() {
    return fileName;
  }

  /** Whether {@code key} was given as a flag. */
  boolean isFlag(String key) {
    return flags.containsKey(key);
  }

  /** The value of {@code key}: the flag, else the file's; the other mode's keys have none. */
  Optional<String> lookup(String key) {
    String flag = flags.get(key);
    if (flag != null) {
      return Optional.of(flag);
    }
    Option.Scope other = mode == AgentConfig.Mode.SERVE ? Option.Scope.RUN : Option.Scope.SERVE;
    if (Option.byKey(key).map(o -> o.scope() == other).orElse(false)) {
      return Optional.empty(); // a shared file may hold the other mode's keys
    }
    return Optional.ofNullable(file.getProperty(key));
  }

  /** The drain URLs as given: every {@code --drain}, else the file's {@code drain} list. */
  List<String> drainUrls() {
    List<String> urls = new ArrayList<>();
    if (!drainFlags.isEmpty()) {
      urls.addAll(drainFlags);
    } else {
      for (String item : file.getProperty(Option.DRAIN.key(), "").split("[,\\s]+")) {
        if (!item.isEmpty()) {
          urls.add(item);
        }
      }
    }
    return urls;
  }

  /** "Option --key" or "Setting key in FILE", as the value came. */
  String where(String key) {
    if (flags.containsKey(key) || (key.equals(Option.DRAIN.key()) && !drainFlags.isEmpty())) {
      return "Option --" + key;
    }
    if (fileName != null && file.getProperty(key) != null) {
      return "Setting " + key + " in " + fileName;
    }
    return "Option --" + key;
  }
}
