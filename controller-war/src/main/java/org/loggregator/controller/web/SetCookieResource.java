package org.loggregator.controller.web;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.loggregator.access.AccessGuard;
import org.loggregator.access.Decision;
import org.loggregator.access.Refusal;
import org.loggregator.access.RequestCredentials;
import org.loggregator.controller.auth.OriginPolicy;

/**
 * {@code POST /set-cookie} with form fields {@code CookieName} (which must be {@value
 * RequestCredentials#COOKIE}) and {@code CookieValue} (a bearer token): sets the one cookie the
 * controller reads, so that a browser, which cannot send headers on a WebSocket, authenticates its
 * WebSocket with it. {@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} over HTTPS. A post
 * from another site is refused (a page elsewhere must not sign a visitor in with a token of its
 * choosing); an allowed origin gets CORS headers naming it, and no other origin is ever named.
 */
@Path("set-cookie")
public class SetCookieResource {
  private static final Pattern TOKEN =
      Pattern.compile("(?i:bearer )?[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");
  private static final int MAX_VALUE_CHARS = 8192;

  @Inject OriginPolicy origins;
  @Inject AccessGuard guard;

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response setCookie(
      @FormParam("CookieName") String name,
      @FormParam("CookieValue") String value,
      @Context HttpServletRequest request) {
    String origin = request.getHeader("Origin");
    if (!origins.permitsBrowser(
        origin,
        request.getHeader("Sec-Fetch-Site"),
        request.getScheme(),
        request.getHeader("Host"),
        false)) {
      return refuse(
          Decision.refuse(
              Refusal.ORIGIN,
              "The cookie is set only from this server's own pages or an allowed origin"
                  + " (controller.allowedOrigins)."));
    }
    if (name == null || !name.equalsIgnoreCase(RequestCredentials.COOKIE)) {
      return refuse(
          Decision.refuse(
              Refusal.BAD_REQUEST,
              "Send the form fields CookieName="
                  + RequestCredentials.COOKIE
                  + " and CookieValue."));
    }
    if (value == null || value.length() > MAX_VALUE_CHARS || !TOKEN.matcher(value).matches()) {
      return refuse(
          Decision.refuse(
              Refusal.BAD_REQUEST, "CookieValue must be a bearer token (a JWT) of at most 8 KiB."));
    }
    String path = request.getContextPath().isEmpty() ? "/" : request.getContextPath();
    String cookie =
        RequestCredentials.COOKIE
            + "="
            + URLEncoder.encode(value, StandardCharsets.UTF_8)
            + "; Path="
            + path
            + "; HttpOnly; SameSite=Strict"
            + (request.isSecure() ? "; Secure" : "");
    Response.ResponseBuilder response = Response.ok().header("Set-Cookie", cookie);
    String allowedEntry = origins.allowListEntry(origin);
    if (allowedEntry != null) {
      response
          .header("Access-Control-Allow-Origin", allowedEntry)
          .header("Access-Control-Allow-Credentials", "true")
          .header("Vary", "Origin");
    }
    return response.build();
  }

  private Response refuse(Decision decision) {
    return guard.refuse(decision, "POST /set-cookie");
  }
}
