package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The files of deploy/monitoring, without a server: the rules pass {@code promtool check rules} and
 * their unit tests ({@code promtool test rules}), every alert has a unit test and a runbook
 * section, and the Grafana dashboard parses, asks for a Prometheus data source, and reads only
 * names that exist. The promtool checks are skipped, saying so, where promtool is not installed.
 */
class MonitoringFilesTest {
  private static final Path RUNBOOK =
      Path.of(System.getProperty("it.runbook", "../docs/RUNBOOK.md")).toAbsolutePath();

  @Test
  void shouldPassPromtoolCheckRulesWhenTheRulesAreLoaded() {
    assumeTrue(Promtool.available(), Promtool.MISSING);

    Promtool.Result result =
        Promtool.run(MonitoringFiles.DIR, "check", "rules", MonitoringFiles.RULES.toString());

    assertEquals(0, result.exitCode(), result.output());
  }

  @Test
  void shouldFireEachAlertExactlyWhereItsUnitTestsSayWhenPromtoolRunsThem() {
    assumeTrue(Promtool.available(), Promtool.MISSING);

    Promtool.Result result =
        Promtool.run(MonitoringFiles.DIR, "test", "rules", MonitoringFiles.RULES_TEST.toString());

    assertEquals(0, result.exitCode(), result.output());
  }

  @Test
  void shouldHaveAUnitTestASummaryADescriptionAndARunbookSectionForEveryAlert() {
    String tests = MonitoringFiles.read(MonitoringFiles.RULES_TEST);
    String rules = MonitoringFiles.read(MonitoringFiles.RULES);
    String runbook = MonitoringFiles.read(RUNBOOK);
    List<String> alerts = MonitoringFiles.alertNames();
    assertFalse(alerts.isEmpty());

    for (String alert : alerts) {
      assertTrue(tests.contains("alertname: " + alert + "\n"), alert + " has a unit test");
      assertTrue(runbook.contains("\n## " + alert + "\n"), alert + " has a RUNBOOK.md section");
      String block = rules.substring(rules.indexOf("- alert: " + alert + "\n"));
      int next = block.indexOf("- alert: ", 1);
      block = next < 0 ? block : block.substring(0, next);
      assertTrue(block.contains("summary: "), alert + " has a summary");
      assertTrue(block.contains("description: "), alert + " has a description");
      assertTrue(
          block.contains("runbook: docs/RUNBOOK.md#" + alert.toLowerCase(Locale.ROOT) + "\n"),
          alert + " links its runbook section");
    }
  }

  @Test
  void shouldAskForAPrometheusDataSourceInEveryPanelOfTheDashboard() {
    JsonObject dashboard = MonitoringFiles.dashboard();

    boolean datasourceVariable = false;
    for (JsonValue variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
      JsonObject v = variable.asJsonObject();
      datasourceVariable |=
          v.getString("name").equals("datasource")
              && v.getString("type").equals("datasource")
              && v.getString("query").equals("prometheus");
    }
    assertTrue(datasourceVariable, "a Prometheus data source variable named datasource");
    List<JsonObject> graphs = MonitoringFiles.dashboardGraphs();
    assertFalse(graphs.isEmpty());
    for (JsonObject graph : graphs) {
      String title = graph.getString("title");
      assertEquals("${datasource}", graph.getJsonObject("datasource").getString("uid"), title);
      assertFalse(graph.getJsonArray("targets").isEmpty(), title + " has a query");
      for (JsonValue target : graph.getJsonArray("targets")) {
        JsonObject t = target.asJsonObject();
        assertEquals("${datasource}", t.getJsonObject("datasource").getString("uid"), title);
        assertFalse(t.getString("expr").isBlank(), title);
      }
    }
  }

  @Test
  void shouldParseEveryExpressionOfTheDashboardWhenPromtoolChecksThem() throws IOException {
    assumeTrue(Promtool.available(), Promtool.MISSING);
    Path dir = Files.createDirectories(Path.of("target", "monitoring").toAbsolutePath());
    Path file =
        Files.writeString(
            dir.resolve("dashboard-expressions.yml"),
            MonitoringFiles.asRecordingRules(MonitoringFiles.dashboardExpressions()));

    Promtool.Result result = Promtool.run(dir, "check", "rules", file.toString());

    assertEquals(0, result.exitCode(), result.output());
  }

  @Test
  void shouldReadOnlyKnownMetricsAndRecordedSeriesInRulesAndDashboard() {
    Map<String, Set<String>> known = MonitoringFiles.knownMetricNames();
    Set<String> records = new TreeSet<>(MonitoringFiles.recordNames());
    List<String> expressions = new ArrayList<>(MonitoringFiles.ruleExpressions());
    expressions.addAll(MonitoringFiles.dashboardExpressions());
    assertTrue(expressions.size() > MonitoringFiles.alertNames().size());

    Set<String> unknown = new TreeSet<>();
    Set<String> used = new TreeSet<>();
    for (String expression : expressions) {
      for (String name : PromqlNames.of(expression)) {
        used.add(name);
        if (!known.containsKey(name) && !records.contains(name)) {
          unknown.add(name);
        }
      }
    }

    assertEquals(Set.of(), unknown, "names neither exposed nor recorded");
    Set<String> unused = new TreeSet<>(known.keySet());
    unused.removeAll(used);
    assertEquals(Set.of(), unused, "names listed in monitoring-metric-names.txt but never read");
  }

  @Test
  void shouldFindTheMetricNamesOfAnExpressionButNotItsFunctionsLabelsOrDurations() {
    assertEquals(
        Set.of("a_total", "b:c:rate5m", "up"),
        PromqlNames.of(
            "sum by (job, instance) (rate(a_total{x=\"y\", z=~\"w.*\"}[5m] offset 1m))"
                + " / on (job) group_left (instance) b:c:rate5m > bool 0.01"
                + " unless label_replace(up, \"l\", \"v\", \"\", \"\") and 1e3"));
  }
}
