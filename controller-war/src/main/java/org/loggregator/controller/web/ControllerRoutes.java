package org.loggregator.controller.web;

import java.util.List;
import org.loggregator.access.Credential;
import org.loggregator.access.Route;
import org.loggregator.access.RouteTable;

/**
 * Every route the controller serves, and what each needs; nothing else is served. Health and
 * metrics are served by the server itself ({@code /health/…}, {@code /metrics}), outside this
 * application, without credentials.
 */
public final class ControllerRoutes {
  public static final Route STREAM = Route.webSocket("/apps/{appId}/stream", Credential.APP_LOGS);
  public static final Route RECENT_LOGS =
      Route.http("GET", "/apps/{appId}/recentlogs", Credential.APP_LOGS);
  public static final Route CONTAINER_METRICS =
      Route.http("GET", "/apps/{appId}/containermetrics", Credential.APP_LOGS);
  public static final Route FIREHOSE =
      Route.webSocket("/firehose/{subscriptionId}", Credential.FIREHOSE);
  public static final Route TAIL =
      Route.webSocket("/tail/", Credential.APP_LOGS).idFromQuery("app");
  public static final Route DUMP =
      Route.webSocket("/dump/", Credential.APP_LOGS).idFromQuery("app");
  public static final Route SET_COOKIE = Route.http("POST", "/set-cookie", Credential.PUBLIC);

  public static final Route BIND_DRAINS =
      Route.http("PUT", "/admin/apps/{appId}/drains", Credential.ADMIN);
  public static final Route UNBIND_DRAINS =
      Route.http("DELETE", "/admin/apps/{appId}/drains", Credential.ADMIN);

  public static final RouteTable TABLE =
      new RouteTable(
          List.of(
              STREAM,
              RECENT_LOGS,
              CONTAINER_METRICS,
              FIREHOSE,
              TAIL,
              DUMP,
              SET_COOKIE,
              BIND_DRAINS,
              UNBIND_DRAINS));

  private ControllerRoutes() {}
}
