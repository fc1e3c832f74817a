package org.loggregator.controller.web;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.loggregator.access.AccessGuard;
import org.loggregator.controller.proxy.DopplerHttpClient;
import org.loggregator.controller.proxy.ZoneQueries;
import org.loggregator.edge.PlainText;

/**
 * The admin API of drain bindings, for operators who turn binding by envelope tag off ({@code
 * drain.bindFromTags}): {@code PUT /admin/apps/{appId}/drains} with one drain URL per line (the
 * app's admin bindings become exactly these; an empty body removes them) and {@code DELETE} of the
 * same path. Needs a token with the scope {@code loggregator.admin}. The controller passes the
 * request on to the app's owner in every zone at once, and answers 200 only when every zone
 * confirmed; otherwise it names the zones that did not, and the operator repeats the request.
 */
@Path("admin/apps/{appId}/drains")
public class AdminDrainsResource {
  /** The largest body taken: far more than the per-app cap of drain URLs needs. */
  static final int MAX_BODY = 16 * 1024;

  @Inject ZoneQueries zones;
  @Inject DopplerHttpClient dopplerHttp;
  @Inject AccessGuard guard;

  @PUT
  @Consumes(MediaType.TEXT_PLAIN)
  public void bind(
      @PathParam("appId") String appId,
      String body,
      @Context HttpServletRequest request,
      @Suspended AsyncResponse response) {
    guard.admit(request, ControllerRoutes.BIND_DRAINS, appId);
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BODY) {
      response.resume(
          PlainText.of(400, "Send at most " + MAX_BODY + " bytes of drain URLs, one per line."));
      return;
    }
    toEveryZone(appId, "PUT", bytes, response);
  }

  @DELETE
  public void unbind(
      @PathParam("appId") String appId,
      @Context HttpServletRequest request,
      @Suspended AsyncResponse response) {
    guard.admit(request, ControllerRoutes.UNBIND_DRAINS, appId);
    toEveryZone(appId, "DELETE", null, response);
  }

  private void toEveryZone(String appId, String method, byte[] body, AsyncResponse response) {
    String path = "/apps/" + appId + "/drains";
    AppResource.answer(
        response,
        zones
            .ask(
                appId,
                method + " drains",
                (owner, deadline) -> dopplerHttp.send(owner, method, path, body, deadline))
            .thenApply(AdminDrainsResource::summary));
  }

  /** 200 when every zone confirmed, 400 when one refused the URLs, else 502 naming the others. */
  private static Response summary(ZoneQueries.Answers<DopplerHttpClient.Answer> answers) {
    StringBuilder confirmed = new StringBuilder();
    List<String> failed = new ArrayList<>(answers.skippedZones());
    String refusal = null;
    for (Map.Entry<String, DopplerHttpClient.Answer> zone : answers.byZone().entrySet()) {
      DopplerHttpClient.Answer answer = zone.getValue();
      if (answer.status() == 200) {
        confirmed.append(zone.getKey()).append(": ").append(answer.text()).append('\n');
      } else if (answer.status() == 400) {
        refusal = answer.text();
      } else {
        failed.add(zone.getKey());
      }
    }
    if (refusal != null) {
      return PlainText.of(400, refusal);
    }
    if (!failed.isEmpty()) {
      return PlainText.of(
          502,
          "Zone(s) "
              + String.join(", ", failed)
              + " did not confirm; the others did: repeat the request once they answer.");
    }
    return PlainText.of(200, confirmed.toString().strip());
  }
}
