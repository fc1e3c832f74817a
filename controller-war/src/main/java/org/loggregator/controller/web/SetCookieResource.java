package org.loggregator.controller.web;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /set-cookie} with form fields {@code CookieName} and {@code CookieValue}: sets that
 * cookie, so that a browser, which cannot send headers on a WebSocket, authenticates its WebSocket
 * with the {@code authorization} cookie.
 */
@Path("set-cookie")
public class SetCookieResource {

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response setCookie(
      @FormParam("CookieName") String name,
      @FormParam("CookieValue") String value,
      @HeaderParam("Origin") String origin,
      @Context UriInfo uri) {
    if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}") || value == null) {
      return Response.status(400)
          .type(MediaType.TEXT_PLAIN)
          .entity("Send the form fields CookieName (letters, digits, _ or -) and CookieValue.\n")
          .build();
    }
    String cookie =
        name
            + "="
            + URLEncoder.encode(value, StandardCharsets.UTF_8)
            + "; Path=/; HttpOnly; SameSite=Strict"
            + ("https".equals(uri.getBaseUri().getScheme()) ? "; Secure" : "");
    Response.ResponseBuilder response = Response.ok().header("Set-Cookie", cookie);
    if (origin != null) {
      response
          .header("Access-Control-Allow-Origin", origin)
          .header("Access-Control-Allow-Credentials", "true");
    }
    return response.build();
  }
}
