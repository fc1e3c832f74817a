package org.loggregator.cli.format;

import java.util.Locale;

/** The output formats of {@code --format}. */
public enum OutputFormat {
  /** {@code Oct 3 15:09:26 private-app App/0 STDERR line}: the original loggregator CLI's. */
  SEED,
  /** {@code 2013-10-03T15:09:26.00-0700 [APP/0] OUT line}: the later cf CLI's. */
  MODERN,
  /** One JSON object per line. */
  JSON;

  /** The value as written on the command line. */
  public String flagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The format named {@code value} (any case), or null when there is none. */
  public static OutputFormat parse(String value) {
    for (OutputFormat format : values()) {
      if (format.flagValue().equalsIgnoreCase(value.trim())) {
        return format;
      }
    }
    return null;
  }
}
