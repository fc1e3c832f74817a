package org.loggregator.controller.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.loggregator.access.EndpointAudit;

/** Every controller endpoint is in the route table, and each that serves logs asks first. */
class EndpointAuthorizationTest {

  @Test
  void shouldFindEveryEndpointAskingTheGuardAboutTheIdItServesWhenAudited() {
    EndpointAudit.Report report =
        EndpointAudit.run(
            ControllerRoutes.class, "org.loggregator.controller", ControllerRoutes.TABLE);

    assertEquals(java.util.List.of(), report.problems());
    assertEquals(
        Set.of(
            "WebSocket /apps/{appId}/stream",
            "GET /apps/{appId}/recentlogs",
            "GET /apps/{appId}/containermetrics",
            "WebSocket /firehose/{subscriptionId}",
            "PUT /admin/apps/{appId}/drains",
            "DELETE /admin/apps/{appId}/drains",
            "WebSocket /tail/",
            "WebSocket /dump/"),
        report.audited());
    Set<String> publicRoutes = new java.util.TreeSet<>();
    publicRoutes.add("POST /set-cookie");
    publicRoutes.add("GET /view/");
    publicRoutes.add("GET /view/{appId}");
    ViewerAssets.ASSETS.keySet().forEach(name -> publicRoutes.add("GET /view/assets/" + name));
    assertEquals(publicRoutes, report.publicRoutes());
  }
}
