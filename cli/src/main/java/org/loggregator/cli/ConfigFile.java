package org.loggregator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code logs} config file: {@code key = value} lines ({@code endpoint}, {@code token}, {@code
 * token_file}, {@code format}, {@code color}); blank lines and lines starting with {@code #} are
 * skipped, spaces around the key and the value are dropped, and nothing is unquoted or unescaped.
 * An unknown or repeated key, or a line without {@code =}, is refused with its line number, to
 * catch typos. Immutable.
 *
 * @param path where it was read from
 * @param values each key's value
 */
record ConfigFile(Path path, Map<String, String> values) {
  static final List<String> KEYS = List.of("endpoint", "token", "token_file", "format", "color");

  /** The largest config or token file read: far more than either needs. */
  static final long MAX_BYTES = 64 * 1024;

  /** An empty config: no file. */
  static final ConfigFile NONE = new ConfigFile(null, Map.of());

  /**
   * The file a command reads: {@code --config}, else {@code $XDG_CONFIG_HOME/loggregator/config}
   * (or {@code ~/.config/loggregator/config}) when it exists, else the earlier location {@code
   * …/logs/config.properties} when that exists, else none.
   */
  static ConfigFile locate(String flag, Invocation invocation) throws CommandException {
    if (flag != null) {
      if (flag.isBlank()) {
        throw CommandException.usage("Option --config is empty; give a file or leave it out.");
      }
      return read(Path.of(flag), " (from --config)");
    }
    String xdg = invocation.variable("XDG_CONFIG_HOME");
    Path dir =
        xdg != null
            ? Path.of(xdg)
            : invocation.home() == null ? null : invocation.home().resolve(".config");
    if (dir == null) {
      return NONE;
    }
    for (Path file :
        List.of(
            dir.resolve("loggregator").resolve("config"), dir.resolve("logs/config.properties"))) {
      if (Files.isRegularFile(file)) {
        return read(file, "");
      }
    }
    return NONE;
  }

  static ConfigFile read(Path file, String origin) throws CommandException {
    List<String> lines;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw CommandException.usage(
            "The config file " + file + origin + " is larger than 64 KiB; is it the right file?");
      }
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw CommandException.usage("The config file " + file + origin + " does not exist.");
    } catch (IOException e) {
      throw CommandException.usage(
          "The config file " + file + origin + " cannot be read: " + e.getMessage() + ".");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = "Line " + (i + 1) + " of the config file " + file;
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw CommandException.usage(where + " is not key = value.");
      }
      String key = line.substring(0, eq).strip();
      if (!KEYS.contains(key)) {
        throw CommandException.usage(
            where
                + " has an unknown key \""
                + org.loggregator.cli.format.TerminalText.escape(key)
                + "\": use "
                + String.join(", ", KEYS)
                + ".");
      }
      if (values.put(key, line.substring(eq + 1).strip()) != null) {
        throw CommandException.usage(where + " sets " + key + " a second time.");
      }
    }
    return new ConfigFile(file, Map.copyOf(values));
  }

  /** The value of {@code key}, or null when it is absent or blank. */
  String get(String key) {
    String value = values.get(key);
    return value == null || value.isEmpty() ? null : value;
  }

  /** How to name a key of this file in a message: {@code token in /home/ann/.config/…}. */
  String origin(String key) {
    return key + " in " + path;
  }

  /**
   * A warning when others than the owner may read {@code file} (a token in it is then theirs too),
   * as ssh warns; null when they may not, or the file system has no POSIX modes.
   */
  static String othersMayRead(Path file, String what) {
    try {
      Set<PosixFilePermission> modes = Files.getPosixFilePermissions(file);
      if (modes.contains(PosixFilePermission.GROUP_READ)
          || modes.contains(PosixFilePermission.OTHERS_READ)) {
        return "Warning: "
            + what
            + " "
            + file
            + " holds a token and others may read it; run chmod 600 "
            + file
            + ".";
      }
    } catch (IOException | UnsupportedOperationException e) {
      // no modes to check
    }
    return null;
  }
}
