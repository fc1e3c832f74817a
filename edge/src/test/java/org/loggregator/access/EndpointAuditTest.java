package org.loggregator.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.loggregator.access.audit.AuditRoutes;

class EndpointAuditTest {

  @Test
  void shouldFlagEveryEndpointThatServesWithoutAskingOrIsNotInTheRouteTableWhenAudited()
      throws URISyntaxException {
    Path classes =
        Path.of(AuditRoutes.class.getProtectionDomain().getCodeSource().getLocation().toURI());

    EndpointAudit.Report report =
        EndpointAudit.run(classes, "org.loggregator.access.audit", AuditRoutes.TABLE);

    assertEquals(
        Set.of(
            "WebSocket /apps/{appId}/stream", "WebSocket /live/", "GET /apps/{appId}/recentlogs"),
        report.audited());
    List<String> problems = report.problems();
    assertEquals(5, problems.size(), problems.toString());
    assertTrue(
        problems.stream()
            .anyMatch(
                p ->
                    p.contains(
                        "AuditStreams serves WebSocket /apps/{appId}/stream, which the route")));
    assertTrue(problems.stream().anyMatch(p -> p.contains("TrustingFirehoseEndpoint failed")));
    assertTrue(
        problems.stream()
            .anyMatch(p -> p.contains("containerMetrics did not ask the guard about the id")));
    assertTrue(problems.stream().anyMatch(p -> p.contains("GET /debug, which the route table")));
    assertTrue(problems.stream().anyMatch(p -> p.contains("The route WebSocket /tail/ has no")));
  }

  @Test
  void shouldCountAPublicPageAndEachListedAssetAsServedWhenOneMethodServesThemAll()
      throws URISyntaxException {
    Path classes =
        Path.of(AuditRoutes.class.getProtectionDomain().getCodeSource().getLocation().toURI());

    EndpointAudit.Report report =
        EndpointAudit.run(classes, "org.loggregator.access.audit", AuditRoutes.TABLE);

    assertEquals(
        Set.of("GET /page/", "GET /page/assets/page.js", "GET /page/assets/page.css"),
        report.publicRoutes());
    assertTrue(
        report.problems().stream().noneMatch(p -> p.contains("/page")),
        report.problems().toString());
  }

  @Test
  void shouldFlagAnAssetMethodWhenTheRouteTableListsNoAssetItFits() throws URISyntaxException {
    Path classes =
        Path.of(AuditRoutes.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    RouteTable pageOnly = new RouteTable(List.of(AuditRoutes.PAGE));

    EndpointAudit.Report report =
        EndpointAudit.run(classes, "org.loggregator.access.audit", pageOnly);

    assertEquals(Set.of("GET /page/"), report.publicRoutes());
    assertTrue(
        report.problems().stream()
            .anyMatch(p -> p.contains("serves GET /page/assets/{name}, which the route table")),
        report.problems().toString());
  }
}
