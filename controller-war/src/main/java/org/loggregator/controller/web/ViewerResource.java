package org.loggregator.controller.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;
import org.loggregator.access.RouteTable;
import org.loggregator.edge.PlainText;

/**
 * The log viewer, a static page and its assets: {@code /view/} (type an app id), {@code
 * /view/{appId}} (the same page; the app id is only data the page reads from its own address, never
 * written into what is served) and {@code /view/assets/NAME} for each file {@link ViewerAssets}
 * lists. Public: nothing here is log data, which the page reads from the stream and recent-logs
 * routes with the visitor's own cookie. Every answer carries a strict Content-Security-Policy.
 */
@Path("view")
public class ViewerResource {
  /** A Host header this server may name in its policy: a name or IPv4 or IPv6 literal, a port. */
  private static final Pattern HOST =
      Pattern.compile("(?:[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}])(?::[0-9]{1,5})?");

  @GET
  public Response chooser(@Context HttpServletRequest request) {
    return page(request);
  }

  @GET
  @Path("{appId}")
  public Response app(@PathParam("appId") String appId, @Context HttpServletRequest request) {
    if (!RouteTable.validId(appId)) {
      return PlainText.of(
          400, "An app id is 1 to 128 letters, digits or . _ : - and not only dots.");
    }
    return page(request);
  }

  @GET
  @Path("assets/{name}")
  public Response asset(
      @PathParam("name") String name,
      @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
      @Context HttpServletRequest request,
      @Context HttpServletResponse response) {
    ViewerAssets.Asset asset = ViewerAssets.asset(name);
    if (asset == null) {
      return PlainText.of(404, "The viewer has no such file.");
    }
    // Revalidated on every load (the route filter's default is no-store), so a new build is
    // picked up at once and an unchanged file costs a 304.
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    Response.ResponseBuilder answer =
        asset.etag().equals(ifNoneMatch)
            ? Response.notModified()
            : Response.ok(asset.bytes()).header(HttpHeaders.CONTENT_TYPE, asset.type());
    return secured(answer.header(HttpHeaders.ETAG, asset.etag()), request).build();
  }

  private static Response page(HttpServletRequest request) {
    ViewerAssets.Asset page = ViewerAssets.page();
    return secured(Response.ok(page.bytes()).header(HttpHeaders.CONTENT_TYPE, page.type()), request)
        .build();
  }

  /** The headers of every viewer answer: what the page may load, frame and send along. */
  static Response.ResponseBuilder secured(
      Response.ResponseBuilder answer, HttpServletRequest request) {
    return answer
        .header("Content-Security-Policy", policy(request.getHeader("Host")))
        .header("Referrer-Policy", "no-referrer")
        .header("X-Frame-Options", "DENY")
        .header("Cross-Origin-Opener-Policy", "same-origin")
        .header("Cross-Origin-Resource-Policy", "same-origin");
  }

  /**
   * Everything from this origin only; no inline script or style, no plugins, no base element, no
   * framing; in Chromium, no string may reach an HTML sink (Trusted Types). The page's WebSocket
   * goes to its own host: browsers that predate CSP 3 do not count {@code ws:}/{@code wss:} to the
   * same host as {@code 'self'}, so the host is named too when it is a plain host and port.
   */
  static String policy(String host) {
    String sockets =
        host != null && HOST.matcher(host).matches() ? " ws://" + host + " wss://" + host : "";
    return "default-src 'self'; connect-src 'self'"
        + sockets
        + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none';"
        + " require-trusted-types-for 'script'; trusted-types 'none'";
  }
}
