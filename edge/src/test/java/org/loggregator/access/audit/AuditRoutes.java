package org.loggregator.access.audit;

import java.util.List;
import org.loggregator.access.Credential;
import org.loggregator.access.Route;
import org.loggregator.access.RouteTable;

/** The route table of the audit's sample endpoints. */
public final class AuditRoutes {
  public static final Route STREAM = Route.webSocket("/apps/{appId}/stream", Credential.APP_LOGS);
  public static final Route FIREHOSE =
      Route.webSocket("/firehose/{subscriptionId}", Credential.FIREHOSE);
  public static final Route RECENT_LOGS =
      Route.http("GET", "/apps/{appId}/recentlogs", Credential.APP_LOGS);
  public static final Route CONTAINER_METRICS =
      Route.http("GET", "/apps/{appId}/containermetrics", Credential.APP_LOGS);
  public static final Route LIVE =
      Route.webSocket("/live/", Credential.APP_LOGS).idFromQuery("app");
  public static final Route UNSERVED =
      Route.webSocket("/tail/", Credential.APP_LOGS).idFromQuery("app");
  public static final Route PAGE = Route.http("GET", "/page/", Credential.PUBLIC);
  public static final Route PAGE_SCRIPT =
      Route.http("GET", "/page/assets/page.js", Credential.PUBLIC);
  public static final Route PAGE_STYLE =
      Route.http("GET", "/page/assets/page.css", Credential.PUBLIC);
  public static final RouteTable TABLE =
      new RouteTable(
          List.of(
              STREAM,
              FIREHOSE,
              RECENT_LOGS,
              CONTAINER_METRICS,
              LIVE,
              UNSERVED,
              PAGE,
              PAGE_SCRIPT,
              PAGE_STYLE));

  private AuditRoutes() {}
}
