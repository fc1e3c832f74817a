package org.loggregator.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration as options write it: up to 9 digits, then a unit, ms, s, m, h or d, with no space
 * (30s, 10m, 7d).
 */
final class DurationText {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?");

  private DurationText() {}

  /**
   * The duration {@code text} writes, or null when it writes none; without a unit it is seconds
   * when {@code bareIsSeconds}, else none.
   */
  static Duration parse(String text, boolean bareIsSeconds) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches() || (m.group(2) == null && !bareIsSeconds)) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
