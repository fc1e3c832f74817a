package it.org.loggregator;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: every identifier that is not a function, a keyword, a
 * label or a duration. Good enough for the expressions of deploy/monitoring, which promtool parses
 * for real; not a PromQL parser.
 */
final class PromqlNames {
  private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*\\}");
  private static final Pattern RANGES = Pattern.compile("\\[[^]]*\\]");
  private static final Pattern LABEL_LISTS =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan",
          "Inf",
          "NaN");

  private PromqlNames() {}

  /** The metric names (and recording-rule names) {@code expression} reads, in order. */
  static Set<String> of(String expression) {
    String text = STRINGS.matcher(expression).replaceAll(" ");
    text = MATCHERS.matcher(text).replaceAll(" ");
    text = RANGES.matcher(text).replaceAll(" ");
    text = LABEL_LISTS.matcher(text).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(text);
    while (m.find()) {
      boolean function = m.group(2) != null;
      if (!function && !KEYWORDS.contains(m.group(1))) {
        names.add(m.group(1));
      }
    }
    return names;
  }
}
