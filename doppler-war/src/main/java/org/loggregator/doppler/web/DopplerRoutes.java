package org.loggregator.doppler.web;

import java.util.List;
import org.loggregator.access.Credential;
import org.loggregator.access.Route;
import org.loggregator.access.RouteTable;

/**
 * Every route the doppler serves, each to traffic controllers only; nothing else is served. Health
 * and metrics are served by the server itself, outside this application.
 */
public final class DopplerRoutes {
  public static final Route STREAM =
      Route.webSocket("/apps/{appId}/stream", Credential.CONTROLLER_SIGNATURE);
  public static final Route RECENT_LOGS =
      Route.http("GET", "/apps/{appId}/recentlogs", Credential.CONTROLLER_SIGNATURE);
  public static final Route CONTAINER_METRICS =
      Route.http("GET", "/apps/{appId}/containermetrics", Credential.CONTROLLER_SIGNATURE);
  public static final Route FIREHOSE =
      Route.webSocket("/firehose/{subscriptionId}", Credential.CONTROLLER_SIGNATURE);

  public static final Route BIND_DRAINS =
      Route.http("PUT", "/apps/{appId}/drains", Credential.CONTROLLER_SIGNATURE);
  public static final Route UNBIND_DRAINS =
      Route.http("DELETE", "/apps/{appId}/drains", Credential.CONTROLLER_SIGNATURE);

  public static final RouteTable TABLE =
      new RouteTable(
          List.of(STREAM, RECENT_LOGS, CONTAINER_METRICS, FIREHOSE, BIND_DRAINS, UNBIND_DRAINS));

  private DopplerRoutes() {}
}
