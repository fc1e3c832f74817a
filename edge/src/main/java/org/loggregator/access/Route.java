package org.loggregator.access;

import java.util.Objects;

/**
 * One entry of a route table: a method and a path template, the credential it needs, and where the
 * id it serves comes from. A template is literal segments and at most one {@code {name}} segment;
 * the id is that segment, or the one value of the query parameter {@link #queryId}.
 *
 * @param method the one HTTP method served (a WebSocket handshake is a GET)
 * @param template the context-relative path, e.g. {@code /apps/{appId}/stream}
 * @param credential what a request needs
 * @param webSocket whether the route is a WebSocket endpoint
 * @param queryId the query parameter holding the id, or null
 */
public record Route(
    String method, String template, Credential credential, boolean webSocket, String queryId) {

  public Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(credential, "credential");
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("A route template starts with /: " + template);
    }
    long parameters = template.chars().filter(c -> c == '{').count();
    if (parameters > 1 || (parameters == 1 && queryId != null)) {
      throw new IllegalArgumentException("A route serves at most one id: " + template);
    }
  }

  /** An HTTP route. */
  public static Route http(String method, String template, Credential credential) {
    return new Route(method, template, credential, false, null);
  }

  /** A WebSocket route (a GET that upgrades). */
  public static Route webSocket(String template, Credential credential) {
    return new Route("GET", template, credential, true, null);
  }

  /** The same route, taking its id from the query parameter {@code name}. */
  public Route idFromQuery(String name) {
    return new Route(method, template, credential, webSocket, name);
  }

  /** The name of the path parameter, or null when the route has none. */
  public String pathParameter() {
    int open = template.indexOf('{');
    return open < 0 ? null : template.substring(open + 1, template.indexOf('}', open));
  }

  /** The canonical path this route serves for {@code id}. */
  public String expand(String id) {
    String parameter = pathParameter();
    return parameter == null ? template : template.replace("{" + parameter + "}", id);
  }

  /** Whether the route serves one app or subscription (and so has an id). */
  public boolean hasId() {
    return queryId != null || pathParameter() != null;
  }
}
