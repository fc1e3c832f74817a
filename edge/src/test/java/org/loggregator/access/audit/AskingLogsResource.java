package org.loggregator.access.audit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;

/** A resource as it should be, and one method that asks about another id than it serves. */
@Path("apps/{appId}")
public class AskingLogsResource {
  org.loggregator.access.AccessGuard guard;
  StringBuilder data;

  @GET
  @Path("recentlogs")
  public String recentLogs(@PathParam("appId") String appId, @Context HttpServletRequest request) {
    guard.admit(request, AuditRoutes.RECENT_LOGS, appId);
    return data.toString();
  }

  @GET
  @Path("containermetrics")
  public String containerMetrics(
      @PathParam("appId") String appId, @Context HttpServletRequest request) {
    guard.admit(request, AuditRoutes.CONTAINER_METRICS, "some-other-app");
    return data.toString();
  }
}
