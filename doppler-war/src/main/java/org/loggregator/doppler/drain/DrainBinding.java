package org.loggregator.doppler.drain;

import java.util.ArrayList;
import java.util.List;
import org.loggregator.config.InvalidSettingException;

/**
 * A binding of an app to a drain URL that the operator configured; immutable. Its {@link
 * #toString()} shows the URL redacted.
 */
public record DrainBinding(String appId, DrainUrl url) {

  /**
   * Parses {@code APP_ID URL; APP_ID URL; …} (empty for none).
   *
   * @param key the configuration key, named in the error
   * @throws InvalidSettingException naming the key and the bad entry, without its credentials
   */
  public static List<DrainBinding> parseList(String key, String value) {
    List<DrainBinding> bindings = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return bindings;
    }
    int index = 0;
    for (String entry : value.split(";")) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      index++;
      String[] parts = e.split("\\s+");
      if (parts.length != 2) {
        throw new InvalidSettingException(
            key,
            "Configuration value "
                + key
                + " must be APP_ID URL pairs separated by ';', but entry "
                + index
                + " is \""
                + DrainUrl.sanitize(e)
                + "\".");
      }
      try {
        bindings.add(new DrainBinding(parts[0], DrainUrl.parse(parts[1])));
      } catch (InvalidDrainUrlException invalid) {
        throw new InvalidSettingException(
            key,
            "Configuration value "
                + key
                + " has an invalid drain for app "
                + parts[0]
                + ": "
                + invalid.getMessage());
      }
    }
    return bindings;
  }
}
