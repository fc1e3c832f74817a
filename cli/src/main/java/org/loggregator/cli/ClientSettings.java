package org.loggregator.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.loggregator.cli.client.LogEndpoint;
import org.loggregator.cli.format.OutputFormat;

/**
 * Where and how {@code logs APP} reads, resolved once from the flags, the environment ({@code
 * LOGS_ENDPOINT}, {@code LOGS_TOKEN}, {@code LOGS_FORMAT}), a properties file ({@code endpoint=},
 * {@code token=}, {@code format=}) and the defaults, in that order of precedence.
 *
 * @param endpoint the traffic controller
 * @param authorization the Authorization header value ({@code bearer …}), or null without a token
 * @param format the output format
 * @param zone the time zone of printed times: {@code --tz}, else the JVM's ({@code TZ}, {@code
 *     -Duser.timezone})
 */
record ClientSettings(
    LogEndpoint endpoint, String authorization, OutputFormat format, ZoneId zone) {

  /** The properties a config file may hold. */
  static final Set<String> FILE_KEYS = Set.of("endpoint", "token", "format");

  /** One value and where it came from, for error messages ("Option --format", "LOGS_FORMAT"). */
  private record Found(String value, String origin) {}

  /**
   * @param env the process environment
   * @param home the user's home directory, for {@code ~/.config/logs/config.properties}
   */
  static ClientSettings resolve(CommandLine args, Map<String, String> env, Path home)
      throws CommandException {
    Properties file = new Properties();
    Path configFile = configFile(args, env, home);
    if (configFile != null) {
      file = load(configFile, args.has("--config"));
    }
    String fileOrigin = configFile == null ? "" : " in " + configFile;

    Found endpointText =
        pick(args, "--endpoint", env, "LOGS_ENDPOINT", file, "endpoint", fileOrigin);
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
              + endpointText.value()
              + "\".");
    }

    Found tokenText = pick(args, "--token", env, "LOGS_TOKEN", file, "token", fileOrigin);
    String authorization = tokenText == null ? null : authorization(tokenText);

    Found formatText = pick(args, "--format", env, "LOGS_FORMAT", file, "format", fileOrigin);
    OutputFormat format = OutputFormat.SEED;
    if (formatText != null) {
      format = OutputFormat.parse(formatText.value());
      if (format == null) {
        throw CommandException.usage(
            formatText.origin()
                + " must be seed, modern or json, but is \""
                + formatText.value()
                + "\".");
      }
    }

    ZoneId zone = ZoneId.systemDefault();
    String tz = args.value("--tz");
    if (tz != null) {
      try {
        zone = ZoneId.of(tz.trim());
      } catch (DateTimeException e) {
        throw CommandException.usage(
            "Option --tz must be a time zone such as UTC or America/Los_Angeles, but is \""
                + tz
                + "\".");
      }
    }
    return new ClientSettings(endpoint, authorization, format, zone);
  }

  /** The file to read: {@code --config}, else the default one when it exists, else null. */
  private static Path configFile(CommandLine args, Map<String, String> env, Path home) {
    String flag = args.value("--config");
    if (flag != null) {
      return Path.of(flag);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path dir =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : home == null ? null : home.resolve(".config");
    if (dir == null) {
      return null;
    }
    Path file = dir.resolve("logs").resolve("config.properties");
    return Files.isRegularFile(file) ? file : null;
  }

  private static Properties load(Path file, boolean fromFlag) throws CommandException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      throw CommandException.usage(
          "The config file " + file + (fromFlag ? " (from --config)" : "") + " does not exist.");
    } catch (IOException | IllegalArgumentException e) {
      throw CommandException.usage(
          "The config file "
              + file
              + " cannot be read as properties ("
              + e.getMessage()
              + "); fix it or point --config elsewhere.");
    }
    for (String key : properties.stringPropertyNames()) {
      if (!FILE_KEYS.contains(key)) {
        throw CommandException.usage(
            "The config file "
                + file
                + " has an unknown key \""
                + key
                + "\": use endpoint, token or format.");
      }
    }
    return properties;
  }

  /** The first of flag, environment variable and file entry that is given (blank env: absent). */
  private static Found pick(
      CommandLine args,
      String flag,
      Map<String, String> env,
      String variable,
      Properties file,
      String key,
      String fileOrigin)
      throws CommandException {
    String value = args.value(flag);
    if (value != null) {
      if (value.isBlank()) {
        throw CommandException.usage("Option " + flag + " is empty; give a value or leave it out.");
      }
      return new Found(value.trim(), "Option " + flag);
    }
    value = env.get(variable);
    if (value != null && !value.isBlank()) {
      return new Found(value.trim(), variable);
    }
    value = file.getProperty(key);
    if (value != null && !value.isBlank()) {
      return new Found(value.trim(), key + fileOrigin);
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
