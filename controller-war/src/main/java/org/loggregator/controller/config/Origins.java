package org.loggregator.controller.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import org.loggregator.config.InvalidSettingException;

/**
 * Browser origins as the configuration names them and as they compare: {@code scheme://host:port},
 * lowercase, with the port always written.
 */
public final class Origins {
  private Origins() {}

  /**
   * Checks the configured origins.
   *
   * @throws InvalidSettingException naming {@code key} for a value that is not an origin
   */
  public static List<String> parseAllowed(String key, List<String> values) {
    for (String value : values) {
      if (normalize(value) == null) {
        throw new InvalidSettingException(
            key,
            "Configuration value "
                + key
                + " must list origins such as https://logs.example.com, but has \""
                + value
                + "\".");
      }
    }
    return List.copyOf(values);
  }

  /** {@code scheme://host:port} for an http or https origin, or null for anything else. */
  public static String normalize(String origin) {
    if (origin == null || origin.isBlank() || origin.length() > 512) {
      return null;
    }
    try {
      URI uri = new URI(origin.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")
          || uri.getHost() == null
          || uri.getRawUserInfo() != null
          || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        return null;
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
      return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
