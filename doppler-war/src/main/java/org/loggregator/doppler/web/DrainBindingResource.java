package org.loggregator.doppler.web;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.loggregator.access.AccessGuard;
import org.loggregator.doppler.drain.DrainRegistry;
import org.loggregator.edge.PlainText;
import org.loggregator.protocol.RequestSignature;

/**
 * {@code PUT /apps/{appId}/drains} (one drain URL per line: the app's admin bindings become exactly
 * these) and {@code DELETE} of the same path: the admin API's bindings, from a controller only. The
 * body must have the digest the signed {@value RequestSignature#CONTENT_HEADER} header states, so
 * that no one on the way can change it.
 */
@Path("apps/{appId}/drains")
public class DrainBindingResource {
  @Inject DrainRegistry drains;
  @Inject AccessGuard guard;

  @PUT
  @Consumes(MediaType.TEXT_PLAIN)
  public Response bind(
      @PathParam("appId") String appId, String body, @Context HttpServletRequest request) {
    guard.admit(request, DopplerRoutes.BIND_DRAINS, appId);
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (!RequestSignature.digest(bytes)
        .equals(request.getHeader(RequestSignature.CONTENT_HEADER))) {
      return PlainText.of(400, "The body does not have the digest its signed header states.");
    }
    List<String> urls =
        body == null
            ? List.of()
            : body.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    try {
      Set<String> bound = drains.bindAdmin(appId, urls);
      return PlainText.of(200, String.join(" ", bound));
    } catch (IllegalArgumentException e) {
      return PlainText.of(400, e.getMessage());
    }
  }

  @DELETE
  public Response unbind(@PathParam("appId") String appId, @Context HttpServletRequest request) {
    guard.admit(request, DopplerRoutes.UNBIND_DRAINS, appId);
    drains.unbindAdmin(appId);
    return PlainText.of(200, "");
  }
}
