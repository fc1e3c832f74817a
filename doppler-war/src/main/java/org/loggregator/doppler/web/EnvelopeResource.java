package org.loggregator.doppler.web;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.List;
import org.loggregator.access.AccessGuard;
import org.loggregator.access.Decision;
import org.loggregator.access.Refusal;
import org.loggregator.doppler.routing.EnvelopeRouter;
import org.loggregator.protocol.MultipartEnvelopes;
import org.loggregator.protocol.RecentLogsQuery;

/**
 * {@code /apps/{appId}/recentlogs} and {@code /apps/{appId}/containermetrics}: what the doppler
 * keeps of an app, as {@code multipart/x-protobuf}, one envelope per part, the bytes as they
 * arrived. Recent logs take the optional {@link RecentLogsQuery} ({@code start_time}, {@code
 * limit}); a bad one is answered 400 with one sentence naming the parameter.
 */
@Path("apps/{appId}")
public class EnvelopeResource {
  @Inject EnvelopeRouter router;
  @Inject AccessGuard guard;

  @GET
  @Path("recentlogs")
  public Response recentLogs(
      @PathParam("appId") String appId, @Context HttpServletRequest request) {
    guard.admit(request, DopplerRoutes.RECENT_LOGS, appId);
    RecentLogsQuery query;
    try {
      query = RecentLogsQuery.parse(request.getQueryString());
    } catch (IllegalArgumentException e) {
      return guard.refuse(
          Decision.refuse(Refusal.BAD_REQUEST, e.getMessage()),
          "GET " + DopplerRoutes.RECENT_LOGS.template());
    }
    return multipart(router.recentLogs(appId, query));
  }

  @GET
  @Path("containermetrics")
  public Response containerMetrics(
      @PathParam("appId") String appId, @Context HttpServletRequest request) {
    guard.admit(request, DopplerRoutes.CONTAINER_METRICS, appId);
    return multipart(router.containerMetrics(appId));
  }

  private static Response multipart(List<byte[]> envelopes) {
    String boundary = MultipartEnvelopes.newBoundary();
    StreamingOutput body = out -> MultipartEnvelopes.write(envelopes, boundary, out);
    return Response.ok(body)
        .header(HttpHeaders.CONTENT_TYPE, MultipartEnvelopes.contentType(boundary))
        .build();
  }
}
