package org.loggregator.controller.web;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.loggregator.controller.auth.Grant;
import org.loggregator.controller.auth.TokenRefusedException;
import org.loggregator.controller.lifecycle.Controller;

/**
 * Authorizes every request for log data before anything is read (PROTOCOL.md §4): a bearer token
 * from the {@code Authorization} header or the {@code authorization} cookie; 401 when it is missing
 * or does not verify, 403 when it does not grant the app (or the firehose). WebSocket upgrades pass
 * through here too, so no endpoint ever opens for a client that is not allowed.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class AuthorizationFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  static final String COOKIE = "authorization";

  @Inject transient Controller controller;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    String appId = AppIdPaths.appOf(path);
    String subscription = AppIdPaths.firehoseOf(path);
    if (AppIdPaths.isLegacy(path)) {
      appId = request.getParameter("app");
      if (appId == null || appId.isEmpty()) {
        refuse(response, 400, "Name the app: " + path + "?app=APP_ID.");
        return;
      }
    }
    if (appId == null && subscription == null) {
      chain.doFilter(request, response); // not log data: /set-cookie, or a 404
      return;
    }
    String id = appId != null ? appId : subscription;
    if (!AppIdPaths.valid(id)) {
      refuse(response, 400, "An app or subscription id is 1 to 128 letters, digits, or . _ : -.");
      return;
    }
    Grant grant;
    try {
      grant = controller.tokens().verify(credential(request), System.currentTimeMillis() / 1000);
    } catch (TokenRefusedException e) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"loggregator\"");
      refuse(response, 401, e.getMessage());
      return;
    }
    if (appId != null && !grant.mayRead(appId)) {
      refuse(response, 403, "The token does not allow reading the logs of app " + appId + ".");
      return;
    }
    if (subscription != null && !grant.mayReadFirehose()) {
      refuse(
          response, 403, "The firehose needs a token with the scope " + Grant.FIREHOSE_SCOPE + ".");
      return;
    }
    chain.doFilter(request, response);
  }

  private static String credential(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header != null && !header.isBlank()) {
      return header;
    }
    Cookie[] cookies = request.getCookies();
    if (cookies != null) {
      for (Cookie cookie : cookies) {
        if (COOKIE.equalsIgnoreCase(cookie.getName())) {
          return java.net.URLDecoder.decode(
              cookie.getValue(), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
    }
    return null;
  }

  private static void refuse(HttpServletResponse response, int status, String sentence)
      throws IOException {
    response.setStatus(status);
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().println(sentence);
  }
}
