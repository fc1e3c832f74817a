package org.loggregator.controller.web;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.loggregator.access.AccessGuard;
import org.loggregator.access.Decision;
import org.loggregator.access.Refusal;
import org.loggregator.controller.proxy.RecentEnvelopes;
import org.loggregator.controller.proxy.ZoneQueries;
import org.loggregator.protocol.MultipartEnvelopes;
import org.loggregator.protocol.RecentLogsQuery;

/**
 * {@code /apps/{appId}/recentlogs} (every zone's recent logs, sorted by time; the optional {@link
 * RecentLogsQuery} keeps those from a start time and the newest N over all zones) and {@code
 * /apps/{appId}/containermetrics} (the latest per instance over every zone), as {@code
 * multipart/x-protobuf}. Zones that could not answer are named in {@code
 * X-Loggregator-Skipped-Zones}.
 */
@Path("apps/{appId}")
public class AppResource {
  static final String SKIPPED_ZONES = "X-Loggregator-Skipped-Zones";

  @Inject ZoneQueries zones;
  @Inject AccessGuard guard;

  @GET
  @Path("recentlogs")
  public void recentLogs(
      @PathParam("appId") String appId,
      @Context HttpServletRequest request,
      @Suspended AsyncResponse response) {
    guard.admit(request, ControllerRoutes.RECENT_LOGS, appId);
    RecentLogsQuery query;
    try {
      query = RecentLogsQuery.parse(request.getQueryString());
    } catch (IllegalArgumentException e) {
      response.resume(
          guard.refuse(
              Decision.refuse(Refusal.BAD_REQUEST, e.getMessage()),
              "GET " + ControllerRoutes.RECENT_LOGS.template()));
      return;
    }
    // Each zone's doppler applies the query to its own buffer; the newest N over all zones are
    // among the newest N of each, so the merge applies it once more.
    String endpoint = query.isAll() ? "recentlogs" : "recentlogs?" + query.toQuery();
    answer(
        response,
        zones
            .ask(appId, endpoint)
            .thenApply(
                answers -> {
                  List<byte[]> envelopes = RecentEnvelopes.merge(answers.perZone(), query);
                  byte[] notice = zones.missingZonesNotice(appId, answers);
                  if (notice != null) {
                    envelopes = new java.util.ArrayList<>(envelopes);
                    envelopes.add(notice);
                  }
                  return multipart(envelopes, answers);
                }));
  }

  @GET
  @Path("containermetrics")
  public void containerMetrics(
      @PathParam("appId") String appId,
      @Context HttpServletRequest request,
      @Suspended AsyncResponse response) {
    guard.admit(request, ControllerRoutes.CONTAINER_METRICS, appId);
    answer(
        response,
        zones
            .ask(appId, "containermetrics")
            .thenApply(
                answers ->
                    multipart(RecentEnvelopes.latestPerInstance(answers.perZone()), answers)));
  }

  /**
   * Resumes the suspended request with the response once it is made. The request's thread is not
   * held while the zones are asked: on the all-in-one server the dopplers answer on the same
   * server's threads, which requests waiting for them must not all hold.
   */
  static void answer(AsyncResponse response, CompletionStage<Response> made) {
    made.whenComplete((done, failed) -> response.resume(failed == null ? done : failed));
  }

  private static Response multipart(List<byte[]> envelopes, ZoneQueries.Answers<?> answers) {
    String boundary = MultipartEnvelopes.newBoundary();
    StreamingOutput body = out -> MultipartEnvelopes.write(envelopes, boundary, out);
    Response.ResponseBuilder response =
        Response.ok(body)
            .header(HttpHeaders.CONTENT_TYPE, MultipartEnvelopes.contentType(boundary));
    if (!answers.skippedZones().isEmpty()) {
      response.header(SKIPPED_ZONES, String.join(",", answers.skippedZones()));
    }
    return response.build();
  }
}
