package org.loggregator.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.loggregator.metrics.MetricName;

/**
 * Finds every endpoint class of an application (Jakarta WebSocket {@code @ServerEndpoint}, Jakarta
 * REST {@code @Path}, and the streams a {@link StreamEndpoints} registers) and checks each against
 * the route table: its path is listed, and unless the route is public, the endpoint asks the {@link
 * AccessGuard} about the very id it was asked to serve before it touches anything else. Each
 * endpoint is created as a plain object whose only collaborator is a guard that refuses everything
 * and records what it was asked; every other injected field stays null (a stream's feed too), so an
 * endpoint that reaches for data before asking fails loudly.
 */
public final class EndpointAudit {
  /** The id every audited endpoint is asked to serve. */
  public static final String VICTIM = "victim-app";

  /**
   * What the audit found.
   *
   * @param problems one sentence per endpoint or route that is wrong; empty when all is well
   * @param audited the routes whose endpoint was seen asking, as {@code METHOD template}
   * @param publicRoutes the public routes an endpoint serves, as {@code METHOD template}
   */
  public record Report(List<String> problems, Set<String> audited, Set<String> publicRoutes) {}

  private record Asked(Route route, String id) {}

  private EndpointAudit() {}

  /**
   * Audits every endpoint class in the package {@code packageName} (and those under it), in the
   * classes directory that holds {@code anchor}, against {@code table}.
   */
  public static Report run(Class<?> anchor, String packageName, RouteTable table) {
    try {
      return run(
          java.nio.file.Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI()),
          packageName,
          table);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Audits every endpoint class in the package {@code packageName} (and those under it) of the
   * classes directory {@code classesRoot} against {@code table}.
   */
  public static Report run(java.nio.file.Path classesRoot, String packageName, RouteTable table) {
    List<String> problems = new ArrayList<>();
    Set<String> audited = new TreeSet<>();
    Set<String> publicRoutes = new TreeSet<>();
    Set<String> served = new TreeSet<>();
    for (Class<?> type : classes(classesRoot, packageName)) {
      ServerEndpoint ws = type.getAnnotation(ServerEndpoint.class);
      if (ws != null) {
        auditWebSocket(type, ws, table, problems, audited, publicRoutes, served);
      }
      Path rest = type.getAnnotation(Path.class);
      if (rest != null) {
        auditRest(type, rest, table, problems, audited, publicRoutes, served);
      }
      if (StreamEndpoints.class.isAssignableFrom(type)
          && !Modifier.isAbstract(type.getModifiers())) {
        auditStreams(type, table, problems, audited, publicRoutes, served);
      }
    }
    for (Route route : table.routes()) {
      if (!served.contains(name(route))) {
        problems.add("The route " + name(route) + " has no endpoint.");
      }
    }
    return new Report(problems, audited, publicRoutes);
  }

  private static void auditWebSocket(
      Class<?> type,
      ServerEndpoint ws,
      RouteTable table,
      List<String> problems,
      Set<String> audited,
      Set<String> publicRoutes,
      Set<String> served) {
    Route route =
        table.routes().stream()
            .filter(r -> r.webSocket() && r.template().equals(ws.value()))
            .findFirst()
            .orElse(null);
    if (route == null) {
      problems.add(type.getName() + " serves " + ws.value() + ", which the route table lacks.");
      return;
    }
    served.add(name(route));
    if (route.credential() == Credential.PUBLIC) {
      publicRoutes.add(name(route));
      return;
    }
    if (ws.configurator() != HandshakeCapture.class) {
      problems.add(type.getName() + " does not keep its handshake's credentials (configurator).");
      return;
    }
    Method onOpen = annotated(type, OnOpen.class);
    if (onOpen == null) {
      problems.add(type.getName() + " has no @OnOpen method.");
      return;
    }
    List<Asked> asked = new CopyOnWriteArrayList<>();
    Object endpoint = instantiate(type, asked, problems);
    if (endpoint == null) {
      return;
    }
    List<Object> closed = new CopyOnWriteArrayList<>();
    Session session = session(route, closed);
    Object[] args = new Object[onOpen.getParameterCount()];
    Parameter[] parameters = onOpen.getParameters();
    for (int i = 0; i < args.length; i++) {
      if (parameters[i].getType() == Session.class) {
        args[i] = session;
      } else if (parameters[i].isAnnotationPresent(jakarta.websocket.server.PathParam.class)) {
        args[i] = VICTIM;
      }
    }
    try {
      onOpen.setAccessible(true);
      onOpen.invoke(endpoint, args);
    } catch (InvocationTargetException e) {
      problems.add(type.getName() + " failed before it asked the guard: " + e.getCause());
      return;
    } catch (ReflectiveOperationException e) {
      problems.add(type.getName() + " cannot be called: " + e);
      return;
    }
    judgeWebSocket(type.getName(), route, asked, closed, problems, audited);
  }

  /**
   * Audits the streams that {@code type} registers: each is an entry of the route table (the same
   * path, credential and id), and its endpoint asks the guard about the id it serves.
   */
  private static void auditStreams(
      Class<?> type,
      RouteTable table,
      List<String> problems,
      Set<String> audited,
      Set<String> publicRoutes,
      Set<String> served) {
    StreamEndpoints<?> registered;
    try {
      Constructor<?> constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      registered = (StreamEndpoints<?>) constructor.newInstance();
    } catch (ReflectiveOperationException e) {
      problems.add(type.getName() + " cannot be created: " + e);
      return;
    }
    for (StreamRoute<?> stream : registered.streams()) {
      auditStream(type, stream, table, problems, audited, publicRoutes, served);
    }
  }

  private static <F> void auditStream(
      Class<?> type,
      StreamRoute<F> stream,
      RouteTable table,
      List<String> problems,
      Set<String> audited,
      Set<String> publicRoutes,
      Set<String> served) {
    Route route = stream.route();
    if (!table.routes().contains(route)) {
      problems.add(type.getName() + " serves " + name(route) + ", which the route table lacks.");
      return;
    }
    served.add(name(route));
    if (route.credential() == Credential.PUBLIC) {
      publicRoutes.add(name(route));
      return;
    }
    String where = type.getName() + " (" + route.template() + ")";
    List<Asked> asked = new CopyOnWriteArrayList<>();
    List<Object> closed = new CopyOnWriteArrayList<>();
    try {
      new GuardedStreamEndpoint<F>(refusingGuard(asked), stream, null)
          .onOpen(session(route, closed), null);
    } catch (RuntimeException e) {
      problems.add(where + " failed before it asked the guard: " + e);
      return;
    }
    judgeWebSocket(where, route, asked, closed, problems, audited);
  }

  /** A WebSocket endpoint passes when it asked about the id it serves and closed when refused. */
  private static void judgeWebSocket(
      String where,
      Route route,
      List<Asked> asked,
      List<Object> closed,
      List<String> problems,
      Set<String> audited) {
    if (!asked.contains(new Asked(route, VICTIM))) {
      problems.add(where + " did not ask the guard about the id it serves: " + asked);
    } else if (closed.isEmpty()) {
      problems.add(where + " did not close a refused session.");
    } else {
      audited.add(name(route));
    }
  }

  private static void auditRest(
      Class<?> type,
      Path rest,
      RouteTable table,
      List<String> problems,
      Set<String> audited,
      Set<String> publicRoutes,
      Set<String> served) {
    for (Method method : type.getDeclaredMethods()) {
      String httpMethod = httpMethod(method);
      if (httpMethod == null) {
        continue;
      }
      Path sub = method.getAnnotation(Path.class);
      String template = join(rest.value(), sub == null ? "" : sub.value());
      List<Route> publicPaths = publicPathsServed(table, httpMethod, template);
      if (!publicPaths.isEmpty()) {
        publicPaths.forEach(r -> served.add(name(r)));
        publicPaths.forEach(r -> publicRoutes.add(name(r)));
        continue;
      }
      Route route =
          table.routes().stream()
              .filter(
                  r ->
                      !r.webSocket()
                          && r.method().equals(httpMethod)
                          && r.template().equals(template))
              .findFirst()
              .orElse(null);
      if (route == null) {
        problems.add(
            type.getName()
                + "."
                + method.getName()
                + " serves "
                + httpMethod
                + " "
                + template
                + ", which the route table lacks.");
        continue;
      }
      served.add(name(route));
      if (route.credential() == Credential.PUBLIC) {
        publicRoutes.add(name(route));
        continue;
      }
      List<Asked> asked = new CopyOnWriteArrayList<>();
      Object endpoint = instantiate(type, asked, problems);
      if (endpoint == null) {
        return;
      }
      Object[] args = new Object[method.getParameterCount()];
      Parameter[] parameters = method.getParameters();
      for (int i = 0; i < args.length; i++) {
        if (parameters[i].isAnnotationPresent(PathParam.class)) {
          args[i] = VICTIM;
        } else if (parameters[i].getType() == HttpServletRequest.class) {
          args[i] = servletRequest(route);
        }
      }
      String where = type.getName() + "." + method.getName();
      try {
        method.setAccessible(true);
        method.invoke(endpoint, args);
        problems.add(where + " served a request the guard refused.");
        continue;
      } catch (InvocationTargetException e) {
        if (!(e.getCause() instanceof WebApplicationException refused)
            || refused.getResponse().getStatus() != Refusal.OTHER_APP.status()) {
          problems.add(where + " failed before it asked the guard: " + e.getCause());
          continue;
        }
      } catch (ReflectiveOperationException e) {
        problems.add(where + " cannot be called: " + e);
        continue;
      }
      if (asked.contains(new Asked(route, VICTIM))) {
        audited.add(name(route));
      } else {
        problems.add(where + " did not ask the guard about the id it serves: " + asked);
      }
    }
  }

  /**
   * The public routes a resource method of {@code template} serves: the route of that template
   * (Jakarta REST serves a path with or without a final slash, so a route {@code /view/} is served
   * by a method at {@code /view}), and each literal route the template's parameter matches (such as
   * {@code /view/assets/viewer.js} served by {@code /view/assets/{name}}). Empty when the method
   * serves no public route.
   */
  private static List<Route> publicPathsServed(RouteTable table, String method, String template) {
    List<Route> found = new ArrayList<>();
    for (Route r : table.routes()) {
      if (r.webSocket() || !r.method().equals(method) || r.credential() != Credential.PUBLIC) {
        continue;
      }
      String t = r.template();
      boolean same = t.equals(template) || t.equals(template + "/");
      if (same || (r.pathParameter() == null && fills(template, t))) {
        found.add(r);
      }
    }
    return found;
  }

  /** Whether the literal {@code path} is {@code template} with its parameter filled in. */
  private static boolean fills(String template, String path) {
    String[] t = template.split("/", -1);
    String[] p = path.split("/", -1);
    if (t.length != p.length || !template.contains("{")) {
      return false;
    }
    for (int i = 0; i < t.length; i++) {
      boolean parameter = t[i].startsWith("{");
      if (parameter ? p[i].isEmpty() : !t[i].equals(p[i])) {
        return false;
      }
    }
    return true;
  }

  /** A guard that refuses everything, recording what it was asked into {@code asked}. */
  private static AccessGuard refusingGuard(List<Asked> asked) {
    Authorizer refuseAll =
        new Authorizer() {
          @Override
          public Decision check(RequestCredentials request, Route route, String id) {
            asked.add(new Asked(route, id));
            return Decision.refuse(Refusal.OTHER_APP, "Refused by the audit.");
          }
        };
    return new AccessGuard(
        new RouteTable(List.of()),
        refuseAll,
        new SessionCaps(10, 10, 10),
        new Refusals(
            MetricName.localCounters(), Map.of(), System::nanoTime, Duration.ofMinutes(1)));
  }

  /** A new endpoint whose AccessGuard fields hold a guard that refuses and records. */
  private static Object instantiate(Class<?> type, List<Asked> asked, List<String> problems) {
    AccessGuard guard = refusingGuard(asked);
    try {
      Constructor<?> constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      Object endpoint = constructor.newInstance();
      boolean hasGuard = false;
      for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
        for (Field field : c.getDeclaredFields()) {
          if (field.getType() == AccessGuard.class) {
            field.setAccessible(true);
            field.set(endpoint, guard);
            hasGuard = true;
          }
        }
      }
      if (!hasGuard) {
        problems.add(type.getName() + " has no AccessGuard to ask.");
        return null;
      }
      return endpoint;
    } catch (ReflectiveOperationException e) {
      problems.add(type.getName() + " cannot be created: " + e);
      return null;
    }
  }

  private static Session session(Route route, List<Object> closed) {
    Map<String, Object> properties = new HashMap<>();
    properties.put(
        HandshakeCapture.CREDENTIALS,
        new RequestCredentials(
            "GET",
            "http",
            "127.0.0.1",
            null,
            null,
            "bearer x",
            null,
            "sig",
            null,
            null,
            null,
            false));
    Map<String, List<String>> query =
        route.queryId() == null ? Map.of() : Map.of(route.queryId(), List.of(VICTIM));
    Map<String, String> pathParameters =
        route.pathParameter() == null ? Map.of() : Map.of(route.pathParameter(), VICTIM);
    return (Session)
        Proxy.newProxyInstance(
            EndpointAudit.class.getClassLoader(),
            new Class<?>[] {Session.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getUserProperties" -> properties;
                  case "getRequestParameterMap" -> query;
                  case "getPathParameters" -> pathParameters;
                  case "getId" -> "audit";
                  case "close" -> {
                    closed.add(args == null ? "close" : (CloseReason) args[0]);
                    yield null;
                  }
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  case "toString" -> "audited session";
                  default -> defaultValue(method.getReturnType());
                });
  }

  private static HttpServletRequest servletRequest(Route route) {
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            EndpointAudit.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getMethod" -> route.method();
                  case "getScheme" -> "http";
                  case "getContextPath" -> "";
                  case "getRequestURI" -> route.expand(VICTIM);
                  case "getHeaders" -> Collections.emptyEnumeration();
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  case "toString" -> "audited request";
                  default -> defaultValue(method.getReturnType());
                });
  }

  private static Object defaultValue(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == int.class || type == long.class || type == short.class || type == byte.class) {
      return type == long.class
          ? 0L
          : type == int.class ? 0 : type == short.class ? (short) 0 : (byte) 0;
    }
    return null;
  }

  private static String httpMethod(Method method) {
    for (Annotation annotation : method.getAnnotations()) {
      HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }

  private static Method annotated(Class<?> type, Class<? extends Annotation> annotation) {
    for (Method method : type.getMethods()) {
      if (method.isAnnotationPresent(annotation)) {
        return method;
      }
    }
    return null;
  }

  private static String join(String classPath, String methodPath) {
    String joined = "/" + classPath + "/" + methodPath;
    joined = joined.replaceAll("/+", "/");
    return joined.length() > 1 && joined.endsWith("/")
        ? joined.substring(0, joined.length() - 1)
        : joined;
  }

  private static String name(Route route) {
    return (route.webSocket() ? "WebSocket " : route.method() + " ") + route.template();
  }

  /** Every class of the package and those under it, loaded without initialising it. */
  private static List<Class<?>> classes(java.nio.file.Path dir, String packageName) {
    java.nio.file.Path start = dir.resolve(packageName.replace('.', '/'));
    try (Stream<java.nio.file.Path> files = Files.walk(start)) {
      List<Class<?>> classes = new ArrayList<>();
      for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = dir.relativize(file).toString().replace('/', '.');
        name = name.substring(0, name.length() - ".class".length());
        if (name.endsWith("package-info")) {
          continue;
        }
        try {
          classes.add(Class.forName(name, false, EndpointAudit.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
          throw new IllegalStateException("Cannot load " + name + " to audit it", e);
        }
      }
      return classes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
