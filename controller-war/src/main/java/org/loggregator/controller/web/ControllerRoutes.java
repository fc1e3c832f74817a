package org.loggregator.controller.web;

import java.util.ArrayList;
import java.util.List;
import org.loggregator.access.Credential;
import org.loggregator.access.Route;
import org.loggregator.access.RouteTable;

/**
 * Every route the controller serves, and what each needs; nothing else is served. Health and
 * metrics are served by the server itself ({@code /health/…}, {@code /metrics}), outside this
 * application, without credentials. The viewer's routes are public and serve only static files; the
 * logs the page shows come from the stream and recent-logs routes, with their credentials.
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

  /** The log viewer page, to type an app id; public, static. */
  public static final Route VIEW_CHOOSER = Route.http("GET", "/view/", Credential.PUBLIC);

  /** The log viewer page of one app; public, static: the app id is only data for the page. */
  public static final Route VIEW_APP = Route.http("GET", "/view/{appId}", Credential.PUBLIC);

  /** The viewer's assets: exactly the files it ships, each its own literal route. */
  public static final List<Route> VIEW_ASSETS =
      ViewerAssets.ASSETS.keySet().stream()
          .map(name -> Route.http("GET", "/view/assets/" + name, Credential.PUBLIC))
          .toList();

  public static final RouteTable TABLE = new RouteTable(routes());

  private static List<Route> routes() {
    List<Route> routes =
        new ArrayList<>(
            List.of(
                STREAM,
                RECENT_LOGS,
                CONTAINER_METRICS,
                FIREHOSE,
                TAIL,
                DUMP,
                SET_COOKIE,
                BIND_DRAINS,
                UNBIND_DRAINS,
                VIEW_CHOOSER,
                VIEW_APP));
    routes.addAll(VIEW_ASSETS);
    return routes;
  }

  private ControllerRoutes() {}
}
