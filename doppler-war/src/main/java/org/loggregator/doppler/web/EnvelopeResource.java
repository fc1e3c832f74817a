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
import org.loggregator.doppler.routing.EnvelopeRouter;
import org.loggregator.protocol.MultipartEnvelopes;

/**
 * {@code /apps/{appId}/recentlogs} and {@code /apps/{appId}/containermetrics}: what the doppler
 * keeps of an app, as {@code multipart/x-protobuf}, one envelope per part, the bytes as they
 * arrived.
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
    return multipart(router.recentLogs(appId));
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
