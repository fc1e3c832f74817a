package org.loggregator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import org.loggregator.cli.client.LogEndpoint;
import org.loggregator.cli.format.OutputFormat;
import org.loggregator.cli.format.TerminalText;

/**
 * Where and how {@code logs APP} reads, resolved once from the flags, the environment ({@code
 * LOGS_ENDPOINT}, {@code LOGS_TOKEN}, {@code LOGS_FORMAT}, {@code NO_COLOR}), the {@link
 * ConfigFile} and the defaults, in that order of precedence. Warnings (a token file others may
 * read) go to stderr as they are found.
 *
 * @param endpoint the traffic controller
 * @param authorization the Authorization header value ({@code bearer …}), or null without a token
 * @param format the output format
 * @param zone the time zone of printed times: {@code --tz}, else the JVM's ({@code TZ}, {@code
 *     -Duser.timezone})
 * @param color whether lines are coloured
 */
record ClientSettings(
    LogEndpoint endpoint, String authorization, OutputFormat format, ZoneId zone, boolean color) {

  /** One value and where it came from, for error messages ("Option --format", "LOGS_FORMAT"). */
  private record Found(String value, String origin) {}

  static ClientSettings resolve(ReadCommand args, Invocation invocation) throws CommandException {
    ConfigFile file = ConfigFile.locate(args.config, invocation);

    Found endpointText =
        pick(args.endpoint, "--endpoint", invocation, "LOGS_ENDPOINT", file, "endpoint");
    LogEndpoint endpoint =
        endpointText == null
            ? LogEndpoint.parse(LogEndpoint.DEFAULT)
            : LogEndpoint.parse(endpointText.value());
    if (endpoint == null) {
      throw CommandException.usage(
          endpointText.origin()
              + " must be an http:// or https:// URL such as "
              + LogEndpoint.DEFAULT
              + ", but is \""
              + TerminalText.escape(endpointText.value())
              + "\".");
    }

    Found token = token(args, invocation, file);
    String authorization = token == null ? null : authorization(token);

    Found formatText = pick(args.format, "--format", invocation, "LOGS_FORMAT", file, "format");
    OutputFormat format = OutputFormat.SEED;
    if (formatText != null) {
      format = OutputFormat.parse(formatText.value());
      if (format == null) {
        throw CommandException.usage(
            formatText.origin()
                + " must be seed, modern or json, but is \""
                + TerminalText.escape(formatText.value())
                + "\".");
      }
    }

    ZoneId zone = ZoneId.systemDefault();
    if (args.tz != null) {
      try {
        zone = ZoneId.of(args.tz.trim());
      } catch (DateTimeException e) {
        throw CommandException.usage(
            "Option --tz must be a time zone such as UTC or America/Los_Angeles, but is \""
                + TerminalText.escape(args.tz)
                + "\".");
      }
    }
    return new ClientSettings(
        endpoint, authorization, format, zone, color(args, invocation, file, format));
  }

  /**
   * The token: {@code --token} or {@code --token-file}, else {@code LOGS_TOKEN}, else the config
   * file's {@code token} or {@code token_file} (relative to the config file's folder); null when
   * none is given.
   */
  private static Found token(ReadCommand args, Invocation invocation, ConfigFile file)
      throws CommandException {
    if (args.token != null && args.tokenFile != null) {
      throw CommandException.usage("Give --token or --token-file, not both.");
    }
    if (args.token != null) {
      return pick(args.token, "--token", invocation, null, ConfigFile.NONE, null);
    }
    if (args.tokenFile != null) {
      if (args.tokenFile.isBlank()) {
        throw CommandException.usage("Option --token-file is empty; give a file or leave it out.");
      }
      return readTokenFile(Path.of(args.tokenFile.trim()), " (from --token-file)", invocation);
    }
    String variable = invocation.variable("LOGS_TOKEN");
    if (variable != null) {
      return new Found(variable.trim(), "LOGS_TOKEN");
    }
    String inFile = file.get("token");
    String tokenFile = file.get("token_file");
    if (inFile != null && tokenFile != null) {
      throw CommandException.usage(
          "The config file " + file.path() + " sets both token and token_file; keep one.");
    }
    if (inFile != null) {
      warn(invocation, ConfigFile.othersMayRead(file.path(), "the config file"));
      return new Found(inFile, file.origin("token"));
    }
    if (tokenFile != null) {
      Path path = file.path().toAbsolutePath().getParent().resolve(tokenFile);
      return readTokenFile(path, " (token_file in " + file.path() + ")", invocation);
    }
    return null;
  }

  private static Found readTokenFile(Path path, String origin, Invocation invocation)
      throws CommandException {
    String text;
    try {
      if (Files.size(path) > ConfigFile.MAX_BYTES) {
        throw CommandException.usage(
            "The token file " + path + origin + " is larger than 64 KiB; is it the right file?");
      }
      text = Files.readString(path, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw CommandException.usage("The token file " + path + origin + " does not exist.");
    } catch (IOException e) {
      throw CommandException.usage(
          "The token file " + path + origin + " cannot be read: " + e.getMessage() + ".");
    }
    if (text.isEmpty()) {
      throw CommandException.usage("The token file " + path + origin + " is empty.");
    }
    warn(invocation, ConfigFile.othersMayRead(path, "the token file"));
    return new Found(text, "The token in " + path + origin);
  }

  private static void warn(Invocation invocation, String warning) {
    if (warning != null) {
      invocation.err().println(warning);
      invocation.err().flush();
    }
  }

  /**
   * Whether to colour: {@code --color}, else the config file's {@code color}, else auto; auto
   * colours only a terminal, and not when {@code NO_COLOR} is set or {@code TERM} is dumb. JSON is
   * never coloured.
   */
  private static boolean color(
      ReadCommand args, Invocation invocation, ConfigFile file, OutputFormat format)
      throws CommandException {
    Found mode = pick(args.color, "--color", invocation, null, file, "color");
    String value = mode == null ? "auto" : mode.value().toLowerCase(Locale.ROOT);
    boolean color =
        switch (value) {
          case "always" -> true;
          case "never" -> false;
          case "auto" ->
              invocation.stdoutIsTerminal()
                  && invocation.variable("NO_COLOR") == null
                  && !"dumb".equals(invocation.variable("TERM"));
          default ->
              throw CommandException.usage(
                  mode.origin()
                      + " must be auto, always or never, but is \""
                      + TerminalText.escape(mode.value())
                      + "\".");
        };
    return color && format != OutputFormat.JSON;
  }

  /** The first of flag, environment variable and file entry that is given (blank env: absent). */
  private static Found pick(
      String flagValue,
      String flag,
      Invocation invocation,
      String variable,
      ConfigFile file,
      String key)
      throws CommandException {
    if (flagValue != null) {
      if (flagValue.isBlank()) {
        throw CommandException.usage("Option " + flag + " is empty; give a value or leave it out.");
      }
      return new Found(flagValue.trim(), "Option " + flag);
    }
    String value = variable == null ? null : invocation.variable(variable);
    if (value != null) {
      return new Found(value.trim(), variable);
    }
    value = key == null ? null : file.get(key);
    if (value != null) {
      return new Found(value, file.origin(key));
    }
    return null;
  }

  /** {@code bearer <token>} from a token given with or without its {@code bearer} prefix. */
  private static String authorization(Found token) throws CommandException {
    String value = token.value();
    if (value.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
      value = value.substring(7).trim();
    }
    if (value.isEmpty() || !value.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
      throw CommandException.usage(
          token.origin()
              + " must be one word of printable ASCII (the token, with or without \"bearer \").");
    }
    return "bearer " + value;
  }
}
