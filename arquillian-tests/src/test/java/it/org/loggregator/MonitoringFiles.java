package it.org.loggregator;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What deploy/monitoring holds, as the tests read it: the Prometheus rules, their unit tests and
 * the Grafana dashboard, found through the system property {@code it.monitoring.dir}.
 */
final class MonitoringFiles {
  static final Path DIR =
      Path.of(System.getProperty("it.monitoring.dir", "../deploy/monitoring")).toAbsolutePath();
  static final Path RULES = DIR.resolve("loggregator-rules.yml");
  static final Path RULES_TEST = DIR.resolve("loggregator-rules-test.yml");
  static final Path DASHBOARD = DIR.resolve("loggregator-dashboard.json");

  private static final Pattern ALERT = Pattern.compile("(?m)^[ \\t]*- alert: (\\S+)[ \\t]*$");
  private static final Pattern RECORD = Pattern.compile("(?m)^[ \\t]*- record: (\\S+)[ \\t]*$");
  private static final Pattern EXPR = Pattern.compile("^([ \\t]*)expr: (.+?)[ \\t]*$");
  private static final Pattern FOR = Pattern.compile("(?m)^([ \\t]*for: )\\S+[ \\t]*$");

  private MonitoringFiles() {}

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The name of every alert of the rules file, in order. */
  static List<String> alertNames() {
    return ALERT.matcher(read(RULES)).results().map(r -> r.group(1)).toList();
  }

  /** The name of every recording rule of the rules file (a name may be recorded per hop). */
  static List<String> recordNames() {
    return RECORD.matcher(read(RULES)).results().map(r -> r.group(1)).distinct().toList();
  }

  /**
   * The expression of every rule of the rules file: each {@code expr:} on one line, or as a block
   * ({@code expr: |}) of the lines indented deeper than the key.
   */
  static List<String> ruleExpressions() {
    List<String> expressions = new ArrayList<>();
    List<String> lines = read(RULES).lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = EXPR.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      if (!m.group(2).equals("|")) {
        expressions.add(m.group(2));
        continue;
      }
      int indent = m.group(1).length();
      StringBuilder block = new StringBuilder();
      while (i + 1 < lines.size()
          && (lines.get(i + 1).isBlank() || indentOf(lines.get(i + 1)) > indent)) {
        block.append(lines.get(++i).strip()).append('\n');
      }
      expressions.add(block.toString().strip());
    }
    return expressions;
  }

  private static int indentOf(String line) {
    return line.length() - line.stripLeading().length();
  }

  /**
   * The rules file with the {@code for:} of one alert replaced: so that a test sees that alert fire
   * within seconds instead of minutes, everything else as shipped.
   */
  static String rulesWithFor(String alert, String duration) {
    String rules = read(RULES);
    int start = rules.indexOf("- alert: " + alert + "\n");
    if (start < 0) {
      throw new IllegalArgumentException("No alert " + alert + " in " + RULES);
    }
    int next = rules.indexOf("- alert: ", start + 1);
    int end = next < 0 ? rules.length() : next;
    Matcher matcher = FOR.matcher(rules).region(start, end);
    if (!matcher.find()) {
      throw new IllegalArgumentException("Alert " + alert + " has no for: in " + RULES);
    }
    return rules.substring(0, matcher.start())
        + matcher.group(1)
        + duration
        + "\n"
        + rules.substring(matcher.end() + 1);
  }

  /**
   * The metric names the rules and the dashboard may read, each with who exposes it ({@code
   * server}, {@code agent}, {@code prometheus} or {@code pending}), from {@code
   * monitoring-metric-names.txt}.
   */
  static Map<String, Set<String>> knownMetricNames() {
    Map<String, Set<String>> names = new TreeMap<>();
    try (InputStream in =
        MonitoringFiles.class.getResourceAsStream("/monitoring-metric-names.txt")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String line : text.lines().toList()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] fields = line.trim().split("\\s+");
        names.put(fields[0], Set.of(Arrays.copyOfRange(fields, 1, fields.length)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  /** The dashboard as a JSON object. */
  static JsonObject dashboard() {
    try (JsonReader reader = Json.createReader(new StringReader(read(DASHBOARD)))) {
      return reader.readObject();
    }
  }

  /** Every panel of the dashboard that draws something (every panel but rows and text). */
  static List<JsonObject> dashboardGraphs() {
    List<JsonObject> graphs = new ArrayList<>();
    for (JsonValue panel : dashboard().getJsonArray("panels")) {
      JsonObject p = panel.asJsonObject();
      String type = p.getString("type");
      if (!type.equals("row") && !type.equals("text")) {
        graphs.add(p);
      }
    }
    return graphs;
  }

  /**
   * Every PromQL expression of the dashboard, with Grafana's variables replaced by what they stand
   * for when every server is selected, so that Prometheus can parse them.
   */
  static List<String> dashboardExpressions() {
    List<String> expressions = new ArrayList<>();
    for (JsonObject graph : dashboardGraphs()) {
      for (JsonValue target : graph.getJsonArray("targets")) {
        expressions.add(
            target
                .asJsonObject()
                .getString("expr")
                .replace("$__rate_interval", "5m")
                .replace("${instance}", ".*")
                .replace("$instance", ".*"));
      }
    }
    return expressions;
  }

  /** A rules file recording each expression, for {@code promtool check rules} to parse. */
  static String asRecordingRules(List<String> expressions) {
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < expressions.size(); i++) {
      rules
          .append("      - record: dashboard:expression_")
          .append(i + 1)
          .append("\n        expr: ")
          .append(Json.createValue(expressions.get(i)))
          .append('\n');
    }
    return rules.toString();
  }
}
