package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * deploy/monitoring against real servers: Debian's Prometheus scrapes the doppler and the
 * controller on one Liberty server (as in the all-in-one server, sharing one registry) and an agent
 * in serve mode, every second, and evaluates the shipped rules every second. The rules evaluate
 * without error on the real series, every name they and the dashboard read is really exposed, and a
 * flood of wrongly signed datagrams takes LoggregatorInvalidSignatureBurst from pending to firing.
 * That alert's {@code for:} is shortened from 1 m to 5 s in the copy Prometheus loads; every other
 * rule is as shipped.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MonitoringIT {
  private static final String ALERT = "LoggregatorInvalidSignatureBurst";
  private static final String SERVER = "127.0.0.1:" + TestServer.HTTP_PORT;
  private static final String OTHER_SECRET = "a-secret-no-server-of-this-test-knows-0123456789";
  private static final int DEADLINE_SECONDS = 180;

  private Process agent;
  private LocalPrometheus prometheus;

  @Deployment(name = "doppler", order = 1, testable = false)
  static WebArchive doppler() {
    return TestServer.war("doppler.war", "doppler.war");
  }

  @Deployment(name = "controller", order = 2, testable = false)
  static WebArchive controller() {
    return TestServer.war("controller.war", "controller.war");
  }

  @BeforeEach
  void startAgentAndPrometheus() throws IOException {
    int agentMetrics = LocalPrometheus.freePort();
    int agentIngress;
    try (DatagramSocket probe = new DatagramSocket(0)) {
      agentIngress = probe.getLocalPort();
    }
    Path agentLog = Path.of("target", "monitoring-it-agent.log").toAbsolutePath();
    agent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("it.agent.jar"),
                "serve",
                "--zone",
                "z1",
                "--dopplers",
                "127.0.0.1:" + DopplerClient.UDP_PORT,
                "--shared-secret",
                DopplerClient.SECRET,
                "--ingress",
                "127.0.0.1:" + agentIngress,
                "--metrics-port",
                "" + agentMetrics,
                "--metrics-interval",
                "1s")
            .redirectErrorStream(true)
            .redirectOutput(agentLog.toFile())
            .start();
    // Liberty measures each HTTP route once it has been asked: the dashboard reads that.
    assertEquals(200, TestServer.get("/health/ready").statusCode());
    prometheus =
        LocalPrometheus.start(
            "monitoring-it", config(agentMetrics), MonitoringFiles.rulesWithFor(ALERT, "5s"));
  }

  private static String config(int agentMetrics) {
    return "global:\n"
        + "  scrape_interval: 1s\n"
        + "  scrape_timeout: 1s\n"
        + "  evaluation_interval: 1s\n"
        + "rule_files:\n"
        + "  - rules.yml\n"
        + "scrape_configs:\n"
        + "  - job_name: loggregator\n"
        + "    static_configs:\n"
        + "      - targets: ['"
        + SERVER
        + "']\n"
        + "  - job_name: loggregator-agent\n"
        + "    static_configs:\n"
        + "      - targets: ['127.0.0.1:"
        + agentMetrics
        + "']\n";
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (prometheus != null) {
      prometheus.close();
    }
    if (agent != null) {
      agent.toHandle().destroy();
      if (!agent.waitFor(10, TimeUnit.SECONDS)) {
        agent.toHandle().destroyForcibly();
        agent.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void shouldEvaluateEveryRuleWithoutErrorAndReadOnlyNamesTheServerAndTheAgentExpose() {
    awaitTargetsUp();
    Set<String> server = names("{job=\"loggregator\"}");
    Set<String> agentNames = names("{job=\"loggregator-agent\"}");
    Set<String> all = names("{__name__=~\".+\"}");

    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Set<String>> known : MonitoringFiles.knownMetricNames().entrySet()) {
      String name = known.getKey();
      Set<String> from = known.getValue();
      if ((from.contains("server") && !server.contains(name))
          || (from.contains("agent") && !agentNames.contains(name))
          || (from.contains("prometheus") && !all.contains(name))) {
        missing.add(name + " " + from);
      }
    }
    assertEquals(List.of(), missing, "listed but not scraped; the server exposes " + server);

    // Every rule evaluated at least once, and none failed on the real series.
    List<String> failed =
        await(
            this::ruleHealth,
            health -> health.stream().noneMatch(h -> h.endsWith(" unknown")),
            "every rule evaluated");
    assertEquals(List.of(), failed.stream().filter(h -> !h.endsWith(" ok")).toList());

    // The hops of the server and the agent are recorded from their real series.
    Set<String> hops =
        await(
            this::recordedHops,
            h -> h.size() >= 8,
            "offered envelopes recorded for every hop of the server and the agent");
    assertEquals(
        Set.of(
            "agent ",
            "network ",
            "ingress doppler",
            "ingress controller",
            "forward controller",
            "subscribers doppler",
            "drains doppler",
            "clients controller"),
        hops);
    assertFalse(prometheus.query("loggregator:heap_used_ratio").isEmpty());
  }

  @Test
  void shouldTakeTheInvalidSignatureAlertFromPendingToFiringWhenBadlySignedDatagramsFlood()
      throws Exception {
    awaitTargetsUp();
    // Two scrapes of the counter, so that its increase over 2 m is known (and 0) before the flood.
    await(
        () ->
            prometheus.query(
                "count_over_time(signatureVerifier_invalidSignatures_total{component=\"doppler\","
                    + "reason=\"mismatch\"}[1m]) >= 2"),
        result -> !result.isEmpty(),
        "two scrapes of the doppler's invalid signatures");
    assertEquals(List.of(), states(), ALERT + " is inactive before the flood");

    AtomicBoolean flooding = new AtomicBoolean(true);
    Thread flood = new Thread(() -> flood(flooding), "monitoring-it-flood");
    flood.start();
    try {
      List<String> seen = new ArrayList<>();
      await(
          () -> {
            List<String> now = states();
            if (!now.isEmpty()
                && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now.get(0)))) {
              seen.add(now.get(0));
            }
            return seen;
          },
          s -> s.contains("firing"),
          ALERT + " firing");
      assertEquals("firing", seen.get(seen.size() - 1), "states seen: " + seen);
      // Prometheus's own record of the alert: pending samples, then firing ones.
      double pendingSince = firstSample("pending");
      double firingSince = firstSample("firing");
      assertTrue(
          pendingSince < firingSince, "pending at " + pendingSince + ", firing at " + firingSince);

      JsonObject firing = alert("firing");
      JsonObject labels = firing.getJsonObject("labels");
      assertEquals("doppler", labels.getString("component"));
      assertEquals(SERVER, labels.getString("instance"));
      assertEquals("loggregator", labels.getString("job"));
      assertEquals("warning", labels.getString("severity"));
      JsonObject annotations = firing.getJsonObject("annotations");
      assertTrue(
          annotations.getString("summary").startsWith("doppler " + SERVER + " receives wrongly"),
          annotations.toString());
      assertEquals(
          "docs/RUNBOOK.md#loggregatorinvalidsignatureburst", annotations.getString("runbook"));
    } finally {
      flooding.set(false);
      flood.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  /** Sends datagrams signed with a secret the doppler does not know, 200 a second, until told. */
  private static void flood(AtomicBoolean flooding) {
    byte[] envelope = DopplerEndpointsIT.logEnvelope("monitoring-it", "not for you", 1);
    try (DopplerClient stranger = new DopplerClient(DopplerClient.UDP_PORT, OTHER_SECRET)) {
      while (flooding.get()) {
        for (int i = 0; i < 20; i++) {
          stranger.sendSigned(envelope);
        }
        LocalPrometheus.sleep(100);
      }
    }
  }

  private void awaitTargetsUp() {
    await(
        () -> prometheus.query("up == 1"),
        up -> up.size() == 2,
        "the server and the agent scraped: " + prometheus.output());
  }

  private Set<String> names(String selector) {
    Set<String> names = new TreeSet<>();
    for (JsonValue name :
        prometheus
            .api(
                "/api/v1/label/__name__/values?match[]="
                    + URLEncoder.encode(selector, StandardCharsets.UTF_8))
            .getJsonArray("data")) {
      names.add(((JsonString) name).getString());
    }
    return names;
  }

  /** Each rule as "name health", such as "LoggregatorHopLoss ok". */
  private List<String> ruleHealth() {
    List<String> health = new ArrayList<>();
    for (JsonValue group :
        prometheus.api("/api/v1/rules").getJsonObject("data").getJsonArray("groups")) {
      for (JsonValue rule : group.asJsonObject().getJsonArray("rules")) {
        JsonObject r = rule.asJsonObject();
        String error = r.containsKey("lastError") ? r.getString("lastError") : "";
        health.add(
            r.getString("name")
                + (error.isEmpty() ? "" : " (" + error + ")")
                + " "
                + r.getString("health"));
      }
    }
    return health;
  }

  /** The hops with envelopes offered, as "hop component". */
  private Set<String> recordedHops() {
    Set<String> hops = new TreeSet<>();
    for (JsonValue series : prometheus.query("loggregator:hop_envelopes:rate5m")) {
      JsonObject metric = series.asJsonObject().getJsonObject("metric");
      hops.add(metric.getString("hop") + " " + metric.getString("component", ""));
    }
    return hops;
  }

  /** The states of the alert on the doppler now: empty while inactive. */
  private List<String> states() {
    List<String> states = new ArrayList<>();
    for (JsonValue a : alerts()) {
      states.add(a.asJsonObject().getString("state"));
    }
    return states;
  }

  private JsonObject alert(String state) {
    for (JsonValue a : alerts()) {
      if (a.asJsonObject().getString("state").equals(state)) {
        return a.asJsonObject();
      }
    }
    throw new AssertionError("no " + state + " " + ALERT + ": " + alerts());
  }

  private List<JsonValue> alerts() {
    List<JsonValue> ours = new ArrayList<>();
    for (JsonValue a :
        prometheus.api("/api/v1/alerts").getJsonObject("data").getJsonArray("alerts")) {
      JsonObject labels = a.asJsonObject().getJsonObject("labels");
      if (labels.getString("alertname").equals(ALERT)
          && labels.getString("component").equals("doppler")) {
        ours.add(a);
      }
    }
    return ours;
  }

  /** The time of the first sample of the ALERTS series Prometheus wrote for that state. */
  private double firstSample(String state) {
    JsonArray result =
        prometheus.query(
            "ALERTS{alertname=\""
                + ALERT
                + "\",alertstate=\""
                + state
                + "\",component=\"doppler\"}[10m]");
    assertEquals(1, result.size(), state + ": " + result);
    return result
        .getJsonObject(0)
        .getJsonArray("values")
        .getJsonArray(0)
        .getJsonNumber(0)
        .doubleValue();
  }

  /** Polls {@code value} every 200 ms until it satisfies {@code done}, at most 3 minutes. */
  private static <T> T await(Supplier<T> value, Predicate<T> done, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    T last = value.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Not within " + DEADLINE_SECONDS + " s: " + what + "; last " + last);
      }
      LocalPrometheus.sleep(200);
      last = value.get();
    }
    return last;
  }
}
