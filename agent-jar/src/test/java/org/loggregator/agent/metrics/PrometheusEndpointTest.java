package org.loggregator.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusEndpointTest {

  @Test
  void shouldServeEveryCounterAsPrometheusTextWhenScraped() throws Exception {
    AgentCounters counters = new AgentCounters();
    counters.add(AgentCounter.SENT_MESSAGES, 3);
    counters.add(AgentCounter.DROPPED_QUEUE_FULL, 2);
    counters.sampleFrom(AgentCounter.INGRESS_KERNEL_DROPS, () -> 7);
    try (PrometheusEndpoint endpoint =
        PrometheusEndpoint.start(
            0,
            counters,
            List.of(new PrometheusEndpoint.Gauge("agent_queue_used_bytes", "Used.", () -> 42)))) {
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      String text = response.body();
      assertTrue(text.contains("# TYPE DopplerForwarder_sentMessages_total counter\n"), text);
      assertTrue(text.contains("\nDopplerForwarder_sentMessages_total 3\n"), text);
      assertTrue(
          text.contains(
              "\nagent_droppedMessages_total{direction=\"ingress\",reason=\"queueFull\"} 2\n"),
          text);
      assertTrue(
          text.contains(
              "\nagent_droppedMessages_total{direction=\"ingress\",reason=\"rateLimited\"} 0\n"),
          text);
      assertTrue(text.contains("\ndropsondeAgentListener_kernelDrops_total 7\n"), text);
      assertTrue(text.contains("\nagent_queue_used_bytes 42\n"), text);
      for (AgentCounter c : AgentCounter.values()) {
        assertTrue(text.contains("# HELP " + c.prometheusName() + " "), c.name());
      }
      assertEquals(
          1, text.lines().filter(l -> l.startsWith("# TYPE agent_droppedMessages_total")).count());

      HttpResponse<String> missing =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/other"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(404, missing.statusCode());
    }
  }
}
