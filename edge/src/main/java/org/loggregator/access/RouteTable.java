package org.loggregator.access;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.loggregator.protocol.AppIds;

/**
 * An application's routes: every request must match one entry, or it is refused. Matching is on the
 * canonical path only: a request whose path is not in canonical form (percent-encoding, {@code
 * ;params}, {@code //}, {@code .} or {@code ..} segments, a backslash), or whose raw path differs
 * in any way from the decoded path the container dispatches on, matches nothing. Literal segments
 * match case-sensitively. Immutable and thread-safe.
 */
public final class RouteTable {
  /** The characters a canonical path segment may hold: RFC 3986 pchar without % and ;. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~!$&'()*+,=:@-]+");

  static final String UNKNOWN_ROUTE =
      "There is no such path here: paths are case-sensitive and take no ;parameters,"
          + " percent-encoding, extra slashes or dot segments.";
  static final String BAD_ID =
      "An app or subscription id is 1 to 128 letters, digits or . _ : - and not only dots.";

  /** A request matched to a route, with the id it serves (null for routes without one). */
  public record Match(Route route, String id) {}

  /** The outcome of {@link #resolve}: a match, or the refusal that answers the request. */
  public record Resolution(Match match, Decision refusal) {
    static Resolution refused(Refusal reason, String sentence) {
      return new Resolution(null, Decision.refuse(reason, sentence));
    }
  }

  private final List<Route> routes;

  public RouteTable(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  public List<Route> routes() {
    return routes;
  }

  /**
   * The context-relative path of a request when it is canonical, else null.
   *
   * @param rawUri the request URI as it came, undecoded ({@code getRequestURI()})
   * @param contextPath the application's context path ({@code ""} for the root)
   * @param containerPath the decoded, normalised path the container dispatches on, relative to the
   *     context ({@code servletPath + pathInfo})
   */
  public static String canonicalPath(String rawUri, String contextPath, String containerPath) {
    if (rawUri == null || contextPath == null || !rawUri.startsWith(contextPath)) {
      return null;
    }
    String path = rawUri.substring(contextPath.length());
    if (!path.startsWith("/") || !path.equals(containerPath)) {
      return null;
    }
    String[] segments = path.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      boolean last = i == segments.length - 1;
      if (s.isEmpty() ? !last : !SEGMENT.matcher(s).matches() || s.equals(".") || s.equals("..")) {
        return null;
      }
    }
    return path;
  }

  /** Whether {@code id} is a valid app or subscription id ({@link AppIds#isReadable}). */
  public static boolean validId(String id) {
    return AppIds.isReadable(id);
  }

  /**
   * Matches a request to its route.
   *
   * @param path the canonical path (from {@link #canonicalPath}), or null when it is not canonical
   * @param query the values of a query parameter, by name (an empty list when absent)
   */
  public Resolution resolve(String method, String path, Function<String, List<String>> query) {
    if (path == null) {
      return Resolution.refused(Refusal.UNKNOWN_ROUTE, UNKNOWN_ROUTE);
    }
    Route sameShape = null;
    for (Route route : routes) {
      String id = matchTemplate(route.template(), path);
      if (id == null) {
        continue;
      }
      if (!route.method().equals(method)) {
        sameShape = route;
        continue;
      }
      if (route.queryId() != null) {
        List<String> values = query.apply(route.queryId());
        if (values == null || values.size() != 1) {
          return Resolution.refused(
              Refusal.BAD_REQUEST,
              "Name the app once, in the query: " + route.template() + "?app=APP_ID.");
        }
        id = values.get(0);
      } else if (route.pathParameter() == null) {
        return new Resolution(new Match(route, null), null);
      }
      if (!validId(id)) {
        return Resolution.refused(Refusal.BAD_REQUEST, BAD_ID);
      }
      return new Resolution(new Match(route, id), null);
    }
    if (sameShape != null) {
      return Resolution.refused(
          Refusal.METHOD, "This path takes only " + sameShape.method() + " requests.");
    }
    return Resolution.refused(Refusal.UNKNOWN_ROUTE, UNKNOWN_ROUTE);
  }

  /** The path parameter's value ("" for a route without one) when the path fits, else null. */
  private static String matchTemplate(String template, String path) {
    String[] t = template.split("/", -1);
    String[] p = path.split("/", -1);
    if (t.length != p.length) {
      return null;
    }
    String id = "";
    for (int i = 0; i < t.length; i++) {
      if (t[i].startsWith("{")) {
        if (p[i].isEmpty()) {
          return null;
        }
        id = p[i];
      } else if (!t[i].equals(p[i])) {
        return null;
      }
    }
    return id;
  }
}
