package org.loggregator.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * Serves every {@link AgentCounter} (and a few gauges) as Prometheus text format 0.0.4 at {@code
 * /metrics} on 127.0.0.1, over the JDK's own HTTP server, from one daemon thread.
 */
public final class PrometheusEndpoint implements AutoCloseable {

  /** A value read at scrape time. */
  public record Gauge(String name, String help, LongSupplier value) {}

  private final HttpServer server;
  private final AgentCounters counters;
  private final List<Gauge> gauges;

  private PrometheusEndpoint(HttpServer server, AgentCounters counters, List<Gauge> gauges) {
    this.server = server;
    this.counters = counters;
    this.gauges = List.copyOf(gauges);
  }

  /**
   * Listens on 127.0.0.1:{@code port} (0 for any free port) and starts serving.
   *
   * @throws IOException if the port cannot be bound
   */
  public static PrometheusEndpoint start(int port, AgentCounters counters, List<Gauge> gauges)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    PrometheusEndpoint endpoint = new PrometheusEndpoint(server, counters, gauges);
    server.createContext("/", endpoint::handle);
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "agent-metrics-http");
              t.setDaemon(true);
              return t;
            }));
    server.start();
    return endpoint;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!"/metrics".equals(path) && !"/".equals(path)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = text().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The exposition text: counters grouped by name (one HELP and TYPE each), then gauges. */
  public String text() {
    Map<String, List<AgentCounter>> byName = new LinkedHashMap<>();
    for (AgentCounter c : AgentCounter.values()) {
      byName.computeIfAbsent(c.prometheusName(), k -> new ArrayList<>()).add(c);
    }
    StringBuilder out = new StringBuilder(4096);
    for (Map.Entry<String, List<AgentCounter>> e : byName.entrySet()) {
      List<AgentCounter> series = e.getValue();
      String help =
          series.size() == 1
              ? series.get(0).description()
              : "Envelopes dropped, by reason: "
                  + String.join(" ", series.stream().map(AgentCounter::description).toList());
      out.append("# HELP ").append(e.getKey()).append(' ').append(escapeHelp(help)).append('\n');
      out.append("# TYPE ").append(e.getKey()).append(" counter\n");
      for (AgentCounter c : series) {
        out.append(e.getKey()).append(labels(c.tags())).append(' ');
        out.append(counters.get(c)).append('\n');
      }
    }
    for (Gauge g : gauges) {
      out.append("# HELP ").append(g.name()).append(' ').append(escapeHelp(g.help())).append('\n');
      out.append("# TYPE ").append(g.name()).append(" gauge\n");
      out.append(g.name()).append(' ').append(g.value().getAsLong()).append('\n');
    }
    return out.toString();
  }

  private static String labels(Map<String, String> tags) {
    if (tags.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder("{");
    for (Map.Entry<String, String> t : new TreeMap<>(tags).entrySet()) {
      if (s.length() > 1) {
        s.append(',');
      }
      s.append(t.getKey()).append("=\"").append(escapeLabel(t.getValue())).append('"');
    }
    return s.append('}').toString();
  }

  private static String escapeHelp(String s) {
    return s.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String escapeLabel(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
