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
  public static final Route STREAM = webSocket("/apps/{appId}/stream");
  public static final Route RECENT_LOGS = http("GET", "/apps/{appId}/recentlogs");
  public static final Route CONTAINER_METRICS = http("GET", "/apps/{appId}/containermetrics");
  public static final Route FIREHOSE = webSocket("/firehose/{subscriptionId}");

  public static final Route BIND_DRAINS = http("PUT", "/apps/{appId}/drains");
  public static final Route UNBIND_DRAINS = http("DELETE", "/apps/{appId}/drains");

  public static final RouteTable TABLE =
      new RouteTable(
          List.of(STREAM, RECENT_LOGS, CONTAINER_METRICS, FIREHOSE, BIND_DRAINS, UNBIND_DRAINS));

  private DopplerRoutes() {}

  /** A WebSocket route for controllers: every route needs the controller's request signature. */
  private static Route webSocket(String template) {
    return Route.webSocket(template, Credential.CONTROLLER_SIGNATURE);
  }

  /** An HTTP route for controllers, like {@link #webSocket}. */
  private static Route http(String method, String template) {
    return Route.http(method, template, Credential.CONTROLLER_SIGNATURE);
  }
}
