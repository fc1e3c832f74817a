package org.loggregator.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.loggregator.protocol.SharedSecrets;

/**
 * Reads typed values from a key/value source (MicroProfile Config, a properties file, command-line
 * flags) and refuses a bad one with an {@link InvalidSettingException} naming the key. Meant to be
 * used once at start-up to build a component's immutable config record; never per envelope.
 */
public final class Settings {
  /** The zone of a doppler or a controller: the key both servers read. */
  public static final String ZONE = "loggregator.zone";

  /** The shared secret(s) of a doppler or a controller: the key both servers read. */
  public static final String SHARED_SECRET = "loggregator.sharedSecret";

  /** Size units {@link #bytes} takes, longest first so that "kib" is not read as "b". */
  private static final String[][] BYTE_UNITS = {
    {"kib", "1024"},
    {"mib", "1048576"},
    {"gib", "1073741824"},
    {"k", "1024"},
    {"m", "1048576"},
    {"g", "1073741824"},
    {"b", "1"}
  };

  private final Function<String, Optional<String>> source;

  /**
   * @param source looks a key up; an empty or blank value counts as absent, so that a server.xml
   *     variable left empty falls back to the default
   */
  public Settings(Function<String, Optional<String>> source) {
    this.source = source;
  }

  private Optional<String> raw(String key) {
    return source.apply(key).map(String::trim).filter(v -> !v.isEmpty());
  }

  /** A string value, or the default when absent. */
  public String string(String key, String defaultValue) {
    return raw(key).orElse(defaultValue);
  }

  /** A string value that must be present and non-blank. */
  public String requiredString(String key) {
    return raw(key)
        .orElseThrow(
            () -> new InvalidSettingException(key, "Configuration value " + key + " is missing."));
  }

  /** A name such as a zone: 1 to 64 letters, digits, {@code _ . -}; or the default when absent. */
  public String name(String key, String defaultValue) {
    String value = string(key, defaultValue);
    if (!value.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw mustBe(key, "1 to 64 letters, digits, '_', '.' or '-'", value);
    }
    return value;
  }

  /**
   * The shared secrets (see {@link SharedSecrets}): present, none published, each at least 32
   * bytes; the message of a refusal names the key and never the value.
   */
  public SharedSecrets sharedSecrets(String key) {
    try {
      return SharedSecrets.parse(raw(key).orElse(null), "Configuration value " + key);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(key, e.getMessage());
    }
  }

  /** A host name or IP address to bind to, with the given port. */
  public HostPort bindAddress(String key, String defaultValue, int port) {
    String host = string(key, defaultValue);
    return HostPort.parse(host + ":1")
        .map(hp -> new HostPort(hp.host(), port))
        .orElseThrow(() -> mustBe(key, "a host name or IP address", host));
  }

  /** An integer in {@code [min, max]}, or the default when absent. */
  public int integer(String key, int defaultValue, int min, int max) {
    Optional<String> value = raw(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      long parsed = Long.parseLong(value.get().replace("_", ""));
      if (parsed >= min && parsed <= max) {
        return (int) parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw mustBe(key, "an integer from " + min + " to " + max, value.get());
  }

  /**
   * A size in bytes, within {@code [min, max]}, or the default when absent: a number of bytes, or
   * one followed by {@code K}/{@code KiB}, {@code M}/{@code MiB} or {@code G}/{@code GiB} (powers
   * of 1024, any case; {@code _} may group digits, and a blank may stand before the unit).
   */
  public long bytes(String key, long defaultValue, long min, long max) {
    Optional<String> value = raw(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    long parsed = parseBytes(value.get());
    if (parsed < 0 || parsed < min || parsed > max) { // -1: not a size, whatever the range
      throw mustBe(
          key, "a size from " + min + " to " + max + " bytes (such as 8MiB or 65536)", value.get());
    }
    return parsed;
  }

  /**
   * The bytes of a size as {@link #bytes} reads it ({@code 64KiB}, {@code 8m}, {@code 1_000}), or
   * -1 when it is not one.
   */
  public static long parseBytes(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
    long factor = 1;
    for (String[] unit : BYTE_UNITS) {
      if (t.endsWith(unit[0])) {
        factor = Long.parseLong(unit[1]);
        t = t.substring(0, t.length() - unit[0].length()).trim();
        break;
      }
    }
    if (t.isEmpty() || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    try {
      long n = Long.parseLong(t);
      return n > Long.MAX_VALUE / factor ? -1 : n * factor;
    } catch (NumberFormatException e) {
      return -1; // too many digits for a long
    }
  }

  /** A TCP or UDP port number from 1 to 65535 (0 when {@code allowEphemeral}). */
  public int port(String key, int defaultValue, boolean allowEphemeral) {
    return integer(key, defaultValue, allowEphemeral ? 0 : 1, 65535);
  }

  /** {@code true}/{@code false} (also yes/no, on/off), or the default when absent. */
  public boolean bool(String key, boolean defaultValue) {
    Optional<String> value = raw(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> {
        return true;
      }
      case "false", "no", "off" -> {
        return false;
      }
      default -> throw mustBe(key, "true or false", value.get());
    }
  }

  /**
   * A duration such as {@code 90s}, {@code 10m}, {@code 1h}, {@code 250ms} or a bare number of
   * seconds, within {@code [min, max]}.
   */
  public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
    Optional<String> value = raw(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    Duration parsed = parseDuration(value.get());
    if (parsed == null || parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
      throw mustBe(
          key,
          "a duration from " + format(min) + " to " + format(max) + " (such as 30s, 10m or 1h)",
          value.get());
    }
    return parsed;
  }

  /** A {@code host:port} address (port 1-65535), or the default when absent. */
  public HostPort hostPort(String key, String defaultValue) {
    String value = string(key, defaultValue);
    return HostPort.parse(value)
        .orElseThrow(() -> mustBe(key, "host:port with a port from 1 to 65535", value));
  }

  /** Comma- or space-separated values, empty when absent. */
  public List<String> list(String key) {
    List<String> items = new ArrayList<>();
    raw(key)
        .ifPresent(
            v -> {
              for (String item : v.split("[,\\s]+")) {
                if (!item.isEmpty()) {
                  items.add(item);
                }
              }
            });
    return items;
  }

  /** An absolute http or https URL, or the default when absent. */
  public URI httpUrl(String key, String defaultValue) {
    String value = string(key, defaultValue);
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      if (uri.getHost() != null && ("http".equals(scheme) || "https".equals(scheme))) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw mustBe(key, "an http:// or https:// URL", value);
  }

  /** A list of dopplers (see {@link DopplerAddress}), or the default when absent. */
  public List<DopplerAddress> dopplers(String key, String defaultValue) {
    return DopplerAddress.parseList(key, string(key, defaultValue));
  }

  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long factorMillis;
    String number;
    if (t.endsWith("ms")) {
      factorMillis = 1;
      number = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      factorMillis = 1000;
      number = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      factorMillis = 60_000;
      number = t.substring(0, t.length() - 1);
    } else if (t.endsWith("h")) {
      factorMillis = 3_600_000;
      number = t.substring(0, t.length() - 1);
    } else {
      factorMillis = 1000;
      number = t;
    }
    try {
      long n = Long.parseLong(number.trim());
      if (n < 0 || n > Long.MAX_VALUE / factorMillis) {
        return null;
      }
      return Duration.ofMillis(n * factorMillis);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  /** The refusal of a value: one sentence naming the key, what it must be and what it is. */
  private static InvalidSettingException mustBe(String key, String what, String value) {
    return new InvalidSettingException(
        key, "Configuration value " + key + " must be " + what + ", but is \"" + value + "\".");
  }
}
