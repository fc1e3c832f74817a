package org.loggregator.doppler.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.loggregator.access.EndpointAudit;

/** Every doppler endpoint is in the route table, and each asks for the id it serves first. */
class EndpointAuthorizationTest {

  @Test
  void shouldFindEveryEndpointAskingTheGuardAboutTheIdItServesWhenAudited() {
    EndpointAudit.Report report =
        EndpointAudit.run(DopplerRoutes.class, "org.loggregator.doppler", DopplerRoutes.TABLE);

    assertEquals(java.util.List.of(), report.problems());
    assertEquals(
        Set.of(
            "WebSocket /apps/{appId}/stream",
            "GET /apps/{appId}/recentlogs",
            "GET /apps/{appId}/containermetrics",
            "WebSocket /firehose/{subscriptionId}",
            "PUT /apps/{appId}/drains",
            "DELETE /apps/{appId}/drains"),
        report.audited());
    assertEquals(Set.of(), report.publicRoutes());
  }
}
