package org.loggregator.access;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Deny by default, in front of every request of an application (WebSocket upgrades included): a
 * request is dispatched only when its path is canonical, it matches an entry of the application's
 * route table, and the authorizer allows it; anything else is answered with the refusal's status
 * and one sentence, and counted. Each application subclasses it with its {@code @WebFilter}; the
 * {@link AccessGuard} is the application's, injected.
 */
public abstract class RouteFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  /** The application's guard, from its CDI producer. */
  @Inject transient AccessGuard guard;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String containerPath = nonNull(request.getServletPath()) + nonNull(request.getPathInfo());
    String path =
        RouteTable.canonicalPath(request.getRequestURI(), request.getContextPath(), containerPath);
    RouteTable.Resolution resolution =
        guard
            .routes()
            .resolve(
                request.getMethod(), path, name -> queryValues(request.getQueryString(), name));
    Decision decision = resolution.refusal();
    if (decision == null) {
      RouteTable.Match match = resolution.match();
      decision = guard.screen(Requests.of(request), match.route(), match.id());
    }
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Cache-Control", "no-store");
    if (decision.allowed()) {
      chain.doFilter(request, response);
      return;
    }
    guard.refusals().record(decision, request.getMethod() + " " + request.getRequestURI());
    response.setStatus(decision.refusal().status());
    decision.refusal().headers().forEach(response::setHeader);
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().println(decision.sentence());
  }

  /**
   * The values of query parameter {@code name}, decoded; a value that does not decode counts as a
   * value, so that it is refused rather than ignored.
   */
  static List<String> queryValues(String query, String name) {
    List<String> values = new ArrayList<>();
    if (query == null) {
      return values;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
          values.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
      } catch (IllegalArgumentException e) {
        values.add("");
      }
    }
    return values;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
