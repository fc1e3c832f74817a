package org.loggregator.controller.web;

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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.loggregator.access.AccessGuard;
import org.loggregator.config.DopplerAddress;
import org.loggregator.controller.lifecycle.Controller;
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

  @Inject Controller controller;
  @Inject AccessGuard guard;

  @PUT
  @Consumes(MediaType.TEXT_PLAIN)
  public Response bind(
      @PathParam("appId") String appId, String body, @Context HttpServletRequest request) {
    guard.admit(request, ControllerRoutes.BIND_DRAINS, appId);
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BODY) {
      return PlainText.of(400, "Send at most " + MAX_BODY + " bytes of drain URLs, one per line.");
    }
    return toEveryZone(appId, "PUT", bytes);
  }

  @DELETE
  public Response unbind(@PathParam("appId") String appId, @Context HttpServletRequest request) {
    guard.admit(request, ControllerRoutes.UNBIND_DRAINS, appId);
    return toEveryZone(appId, "DELETE", null);
  }

  private Response toEveryZone(String appId, String method, byte[] body) {
    List<DopplerAddress> owners = controller.directory().ownersOf(appId);
    long deadline = System.nanoTime() + controller.config().zoneQueryTimeout().toNanos();
    List<CompletableFuture<DopplerHttpClient.Answer>> answers = new ArrayList<>();
    for (DopplerAddress owner : owners) {
      answers.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return controller
                      .dopplerHttp()
                      .send(owner, method, "/apps/" + appId + "/drains", body, deadline);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              controller.workers()));
    }
    StringBuilder confirmed = new StringBuilder();
    List<String> failed = new ArrayList<>();
    String refusal = null;
    for (int i = 0; i < owners.size(); i++) {
      String zone = owners.get(i).zone();
      try {
        DopplerHttpClient.Answer answer =
            answers.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (answer.status() == 200) {
          confirmed.append(zone).append(": ").append(answer.text()).append('\n');
        } else if (answer.status() == 400) {
          refusal = answer.text();
        } else {
          failed.add(zone);
        }
      } catch (ExecutionException | TimeoutException e) {
        answers.get(i).cancel(true);
        failed.add(zone);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failed.add(zone);
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
