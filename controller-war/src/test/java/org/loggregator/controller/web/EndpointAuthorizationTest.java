package org.loggregator.controller.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.loggregator.access.EndpointAudit;

/** Every controller endpoint is in the route table, and each that serves logs asks first. */
class EndpointAuthorizationTest {

  @Test
  void shouldFindEveryEndpointAskingTheGuardAboutTheIdItServesWhenAudited() throws Exception {
    Path classes =
        Path.of(ControllerRoutes.class.getProtectionDomain().getCodeSource().getLocation().toURI());

    EndpointAudit.Report report =
        EndpointAudit.run(classes, "org.loggregator.controller", ControllerRoutes.TABLE);

    assertEquals(java.util.List.of(), report.problems());
    assertEquals(
        Set.of(
            "WebSocket /apps/{appId}/stream",
            "GET /apps/{appId}/recentlogs",
            "GET /apps/{appId}/containermetrics",
            "WebSocket /firehose/{subscriptionId}",
            "WebSocket /tail/",
            "WebSocket /dump/"),
        report.audited());
    assertEquals(Set.of("POST /set-cookie"), report.publicRoutes());
  }
}
