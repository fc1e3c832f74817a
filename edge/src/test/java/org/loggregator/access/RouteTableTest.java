package org.loggregator.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The route table of a controller-like application, against a matrix of hostile spellings of each
 * of its paths: each must either not be canonical (null), or be refused, or match the very route
 * and id the honest spelling matches. Never another route, never another id.
 */
class RouteTableTest {
  static final Route STREAM = Route.webSocket("/apps/{appId}/stream", Credential.APP_LOGS);
  static final Route RECENT_LOGS =
      Route.http("GET", "/apps/{appId}/recentlogs", Credential.APP_LOGS);
  static final Route CONTAINER_METRICS =
      Route.http("GET", "/apps/{appId}/containermetrics", Credential.APP_LOGS);
  static final Route FIREHOSE = Route.webSocket("/firehose/{subscriptionId}", Credential.FIREHOSE);
  static final Route TAIL = Route.webSocket("/tail/", Credential.APP_LOGS).idFromQuery("app");
  static final Route DUMP = Route.webSocket("/dump/", Credential.APP_LOGS).idFromQuery("app");
  static final Route SET_COOKIE = Route.http("POST", "/set-cookie", Credential.PUBLIC);

  static final RouteTable TABLE =
      new RouteTable(
          List.of(STREAM, RECENT_LOGS, CONTAINER_METRICS, FIREHOSE, TAIL, DUMP, SET_COOKIE));

  private static final String APP = "app-1";
  private static final String SUBSCRIPTION = "sub.1";
  private static final List<String> CONTEXTS = List.of("", "/doppler");
  private static final String ID_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-";

  /** One honest request of a route: its context-relative path, query and expected id. */
  private record Honest(Route route, String path, String query, String id) {}

  private static List<Honest> honestRequests() {
    return List.of(
        new Honest(STREAM, "/apps/" + APP + "/stream", null, APP),
        new Honest(RECENT_LOGS, "/apps/" + APP + "/recentlogs", null, APP),
        new Honest(CONTAINER_METRICS, "/apps/" + APP + "/containermetrics", null, APP),
        new Honest(FIREHOSE, "/firehose/" + SUBSCRIPTION, null, SUBSCRIPTION),
        new Honest(TAIL, "/tail/", "app=" + APP, APP),
        new Honest(DUMP, "/dump/", "app=" + APP, APP),
        new Honest(SET_COOKIE, "/set-cookie", null, null));
  }

  private static RouteTable.Resolution resolve(String method, String path, String query) {
    return TABLE.resolve(method, path, name -> RouteFilter.queryValues(query, name));
  }

  // ---------------------------------------------------------------- honest requests

  @Test
  void shouldMatchEachRouteWithItsIdWhenThePathIsCanonicalUnderEitherContext() {
    for (String context : CONTEXTS) {
      for (Honest honest : honestRequests()) {
        String path = RouteTable.canonicalPath(context + honest.path(), context, honest.path());
        assertEquals(honest.path(), path, context + honest.path());
        RouteTable.Resolution resolution = resolve(honest.route().method(), path, honest.query());
        assertNull(resolution.refusal(), () -> context + honest.path() + ": " + resolution);
        assertEquals(honest.route(), resolution.match().route());
        assertEquals(honest.id(), resolution.match().id());
      }
    }
  }

  @Test
  void shouldKeepTheRoutesInTheOrderGivenWhenBuilt() {
    assertEquals(
        List.of(STREAM, RECENT_LOGS, CONTAINER_METRICS, FIREHOSE, TAIL, DUMP, SET_COOKIE),
        TABLE.routes());
  }

  // ---------------------------------------------------------------- the hostile matrix

  @Test
  void shouldNeverMatchAnotherRouteOrIdWhenThePathIsSpelledHostilely() {
    int variants = 0;
    int notCanonical = 0;
    for (String context : CONTEXTS) {
      for (Honest honest : honestRequests()) {
        for (Map.Entry<String, String> variant : hostileVariants(context, honest).entrySet()) {
          String raw = variant.getKey();
          String label = variant.getValue() + " " + raw + " (context '" + context + "')";
          for (String containerPath : containerPaths(raw, context)) {
            variants++;
            String path = RouteTable.canonicalPath(raw, context, containerPath);
            if (path == null) {
              notCanonical++;
              continue;
            }
            RouteTable.Resolution resolution =
                resolve(honest.route().method(), path, honest.query());
            if (resolution.refusal() == null) {
              assertEquals(honest.route(), resolution.match().route(), label);
              assertEquals(honest.id(), resolution.match().id(), label);
            }
          }
        }
      }
    }
    assertTrue(variants > 1000, "the matrix has " + variants + " cases");
    assertTrue(notCanonical > variants / 2, notCanonical + " of " + variants);
  }

  @Test
  void shouldGiveNullForEveryNonCanonicalSpellingWhateverTheContainerDispatchesOn() {
    for (String context : CONTEXTS) {
      for (Honest honest : honestRequests()) {
        for (Map.Entry<String, String> variant : hostileVariants(context, honest).entrySet()) {
          String raw = variant.getKey();
          if (CANONICAL_ELSEWHERE.contains(variant.getValue())) {
            continue; // canonical spellings of paths that are not routes: see below
          }
          for (String containerPath : containerPaths(raw, context)) {
            assertNull(
                RouteTable.canonicalPath(raw, context, containerPath),
                () ->
                    variant.getValue()
                        + ": "
                        + raw
                        + " dispatched as "
                        + containerPath
                        + " under '"
                        + context
                        + "'");
          }
        }
      }
    }
  }

  @Test
  void shouldRefuseAsUnknownRouteWhenAPathHasATrailingSlashUpperCaseLiteralsOrAnotherContext() {
    for (String context : CONTEXTS) {
      for (Honest honest : honestRequests()) {
        for (Map.Entry<String, String> variant : hostileVariants(context, honest).entrySet()) {
          if (!CANONICAL_ELSEWHERE.contains(variant.getValue())) {
            continue;
          }
          String raw = variant.getKey();
          String relative = raw.substring(context.length());
          String path = RouteTable.canonicalPath(raw, context, relative);
          RouteTable.Resolution resolution = resolve(honest.route().method(), path, honest.query());
          assertNull(resolution.match(), raw);
          assertEquals(Refusal.UNKNOWN_ROUTE, resolution.refusal().refusal(), raw);
        }
      }
    }
  }

  @Test
  void shouldGiveNullWhenTheRawUriDiffersFromWhatTheContainerDecodedItTo() {
    assertNull(RouteTable.canonicalPath("/apps/x/%73tream", "", "/apps/x/stream"));
    assertNull(RouteTable.canonicalPath("/apps/x/stream;x", "", "/apps/x/stream"));
    assertNull(RouteTable.canonicalPath("/apps/y/../x/stream", "", "/apps/x/stream"));
    assertNull(RouteTable.canonicalPath("/apps//x/stream", "", "/apps/x/stream"));
    assertNull(RouteTable.canonicalPath("/doppler/apps/x/stream", "/doppler", "/apps/y/stream"));
    assertNull(RouteTable.canonicalPath("/apps/x/stream", "", "/apps/x/Stream"));
    assertNull(RouteTable.canonicalPath("/apps/x/stream", "", null));
  }

  @Test
  void shouldGiveNullWhenTheContextPathDiffersInCaseOrCarriesParameters() {
    assertNull(RouteTable.canonicalPath("/Doppler/apps/x/stream", "/doppler", "/apps/x/stream"));
    assertNull(RouteTable.canonicalPath("/DOPPLER/apps/x/stream", "/doppler", "/apps/x/stream"));
    assertNull(RouteTable.canonicalPath("/doppler;x/apps/x/stream", "/doppler", "/apps/x/stream"));
    assertNull(
        RouteTable.canonicalPath("/doppler;x=1/apps/x/stream", "/doppler", "/apps/x/stream"));
    assertNull(RouteTable.canonicalPath("/%64oppler/apps/x/stream", "/doppler", "/apps/x/stream"));
    assertNull(RouteTable.canonicalPath("/dopplerx/apps/x/stream", "/doppler", "x/apps/x/stream"));
    assertNull(RouteTable.canonicalPath("/doppler", "/doppler", ""));
    assertNull(RouteTable.canonicalPath("/apps/x/stream", "/doppler", "/apps/x/stream"));
    assertNull(RouteTable.canonicalPath(null, "", "/apps/x/stream"));
    assertNull(RouteTable.canonicalPath("/apps/x/stream", null, "/apps/x/stream"));
  }

  @Test
  void shouldGiveNullForEachNamedHostileSpellingOfTheStreamPath() {
    List<String> hostile =
        List.of(
            "/apps/x/stream;x",
            "/apps;x/x/stream",
            "/apps/x;x/stream",
            "/apps/x/%73tream",
            "/apps/x/%2573tream",
            "/apps/x%2Fstream",
            "/apps/x%2fstream",
            "/apps/%2e%2e/x/stream",
            "/apps/y/%2e%2e/x/stream",
            "/apps/%2E/x/stream",
            "/apps/x/stream%00",
            "/apps/x%00/stream",
            "//apps/x/stream",
            "/apps//x/stream",
            "/apps/x//stream",
            "/./apps/x/stream",
            "/apps/./x/stream",
            "/apps/x/./stream",
            "/apps/x/stream/.",
            "/../apps/x/stream",
            "/apps/y/../x/stream",
            "/apps/x/stream/..",
            "/apps\\x\\stream",
            "/apps/x\\stream",
            "\\apps/x/stream",
            "/apps/x/stream\\",
            "/apps/x/str\u00e9am",
            "/apps/x/\u017ftream",
            "/apps/\u0445/stream",
            "/apps/x/stream\u200b",
            "/apps/x\uff0fstream",
            "/apps/x/str%C3%A9am",
            "/apps/x/stream?",
            "/apps/x/stream#",
            "/apps/x/st ream",
            "");
    for (String context : CONTEXTS) {
      for (String path : hostile) {
        String raw = context + path;
        for (String containerPath : containerPaths(raw, context)) {
          assertNull(RouteTable.canonicalPath(raw, context, containerPath), raw);
        }
      }
    }
  }

  @Test
  void shouldNotMatchUpperCaseLiteralsBecauseLiteralsAreCaseSensitive() {
    for (String path : List.of("/APPS/x/stream", "/apps/x/Stream", "/Apps/x/STREAM", "/Tail/")) {
      String canonical = RouteTable.canonicalPath(path, "", path);
      assertEquals(path, canonical, "upper case is canonical, it is just not a route");
      assertEquals(
          Refusal.UNKNOWN_ROUTE, resolve("GET", canonical, "app=x").refusal().refusal(), path);
    }
  }

  @Test
  void shouldRefuseAsUnknownRouteWhenThePathIsNull() {
    RouteTable.Resolution resolution = resolve("GET", null, null);
    assertNull(resolution.match());
    assertEquals(Refusal.UNKNOWN_ROUTE, resolution.refusal().refusal());
    assertEquals(404, resolution.refusal().refusal().status());
  }

  @Test
  void shouldRefuseAsUnknownRouteWhenNoTemplateHasThePathsShape() {
    for (String path :
        List.of(
            "/",
            "/apps",
            "/apps/",
            "/apps/x",
            "/apps/x/",
            "/apps/x/stream/more",
            "/apps/x/y/stream",
            "/firehose",
            "/firehose/",
            "/firehose/a/b",
            "/tail",
            "/tail/x",
            "/dump",
            "/set-cookie/x",
            "/health",
            "/metrics")) {
      assertEquals(Refusal.UNKNOWN_ROUTE, resolve("GET", path, "app=x").refusal().refusal(), path);
    }
  }

  // ---------------------------------------------------------------- methods

  @Test
  void shouldRefuseWithMethodWhenAKnownPathIsAskedWithAnotherMethod() {
    Map<String, String> wrong = new LinkedHashMap<>();
    wrong.put("/apps/x/stream", "POST");
    wrong.put("/apps/x/recentlogs", "DELETE");
    wrong.put("/apps/x/containermetrics", "PUT");
    wrong.put("/firehose/s", "POST");
    wrong.put("/tail/", "POST");
    wrong.put("/dump/", "OPTIONS");
    wrong.put("/set-cookie", "GET");
    wrong.forEach(
        (path, method) -> {
          RouteTable.Resolution resolution = resolve(method, path, "app=x");
          assertNull(resolution.match(), path);
          assertEquals(Refusal.METHOD, resolution.refusal().refusal(), method + " " + path);
          assertEquals(405, resolution.refusal().refusal().status());
        });
  }

  @Test
  void shouldTreatMethodsCaseSensitivelyWhenMatching() {
    assertEquals(Refusal.METHOD, resolve("get", "/apps/x/stream", null).refusal().refusal());
  }

  @Test
  void shouldMatchTheRouteWithTheRightMethodWhenTwoRoutesShareATemplate() {
    Route get = Route.http("GET", "/things/{id}", Credential.APP_LOGS);
    Route delete = Route.http("DELETE", "/things/{id}", Credential.FIREHOSE);
    RouteTable table = new RouteTable(List.of(get, delete));
    Function<String, List<String>> none = name -> List.of();

    assertEquals(delete, table.resolve("DELETE", "/things/a", none).match().route());
    assertEquals(get, table.resolve("GET", "/things/a", none).match().route());
    assertEquals(Refusal.METHOD, table.resolve("PUT", "/things/a", none).refusal().refusal());
  }

  // ---------------------------------------------------------------- ids in the path

  @Test
  void shouldMatchIdsAtTheLimitsWhenTheyAreOfTheAllowedCharacters() {
    String longest = ID_CHARS.repeat(3).substring(0, 128);
    for (String id : List.of("a", "Z", "0", "_", ":", "-", "a.", ".a", longest, ID_CHARS)) {
      RouteTable.Resolution stream = resolve("GET", "/apps/" + id + "/stream", null);
      assertNull(stream.refusal(), id);
      assertEquals(id, stream.match().id());
      RouteTable.Resolution firehose = resolve("GET", "/firehose/" + id, null);
      assertEquals(id, firehose.match().id());
      assertEquals(FIREHOSE, firehose.match().route());
      RouteTable.Resolution tail = resolve("GET", "/tail/", "app=" + id);
      assertEquals(id, tail.match().id(), id);
      String raw = "/doppler/apps/" + id + "/recentlogs";
      String path = RouteTable.canonicalPath(raw, "/doppler", raw.substring(8));
      assertEquals(id, resolve("GET", path, null).match().id(), raw);
    }
  }

  @Test
  void shouldRefuseWithBadRequestWhenThePathIdIsInvalid() {
    String tooLong = "a".repeat(129);
    for (String id : List.of(tooLong, "..", ".", "...", "a b", "a%20b", "a!b")) {
      for (String path : List.of("/apps/" + id + "/stream", "/firehose/" + id)) {
        RouteTable.Resolution resolution = resolve("GET", path, null);
        assertNull(resolution.match(), path);
        assertEquals(Refusal.BAD_REQUEST, resolution.refusal().refusal(), path);
        assertEquals(400, resolution.refusal().refusal().status());
        assertEquals(RouteTable.BAD_ID, resolution.refusal().sentence());
      }
    }
  }

  @Test
  void shouldRefuseAsUnknownRouteWhenThePathIdIsEmpty() {
    // An empty segment is not canonical, and does not have the template's shape either.
    assertNull(RouteTable.canonicalPath("/apps//stream", "", "/apps//stream"));
    assertEquals(Refusal.UNKNOWN_ROUTE, resolve("GET", "/apps//stream", null).refusal().refusal());
    assertEquals(Refusal.UNKNOWN_ROUTE, resolve("GET", "/firehose/", null).refusal().refusal());
  }

  @Test
  void shouldGiveNullBeforeResolvingWhenADotSegmentStandsForTheId() {
    assertNull(RouteTable.canonicalPath("/apps/../stream", "", "/apps/../stream"));
    assertNull(RouteTable.canonicalPath("/apps/./stream", "", "/apps/./stream"));
    assertEquals(
        "/apps/.../stream", RouteTable.canonicalPath("/apps/.../stream", "", "/apps/.../stream"));
  }

  @Test
  void shouldTellValidIdsFromInvalidOnesWhenAsked() {
    assertTrue(RouteTable.validId("a"));
    assertTrue(RouteTable.validId("a".repeat(128)));
    assertTrue(RouteTable.validId("6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab"));
    assertTrue(RouteTable.validId("org:space.app_1"));
    assertFalse(RouteTable.validId(null));
    assertFalse(RouteTable.validId(""));
    assertFalse(RouteTable.validId("a".repeat(129)));
    assertFalse(RouteTable.validId("."));
    assertFalse(RouteTable.validId(".."));
    assertFalse(RouteTable.validId("a b"));
    assertFalse(RouteTable.validId("a/b"));
    assertFalse(RouteTable.validId("a\nb"));
    assertFalse(RouteTable.validId("a\u00e9"));
    assertFalse(RouteTable.validId("a%62"));
  }

  // ---------------------------------------------------------------- ids in the query

  @Test
  void shouldRefuseWithBadRequestWhenTheQueryIdIsMissingRepeatedOrInAnotherCase() {
    for (String query :
        List.of(
            "",
            "x=a",
            "app=a&app=b",
            "app=a&app=a",
            "APP=a",
            "App=a",
            "apps=a",
            "app",
            "app=",
            "app=..",
            "app=.",
            "app=a+b",
            "app=a%20b",
            "app=a%2Fb",
            "app=%zz",
            "app=a&%zz=b",
            "app=" + "a".repeat(129))) {
      for (Route route : List.of(TAIL, DUMP)) {
        RouteTable.Resolution resolution = resolve("GET", route.template(), query);
        assertNull(resolution.match(), query);
        assertEquals(Refusal.BAD_REQUEST, resolution.refusal().refusal(), query);
      }
    }
    assertEquals(Refusal.BAD_REQUEST, resolve("GET", "/tail/", null).refusal().refusal());
  }

  @Test
  void shouldRefuseWithBadRequestWhenTheQueryFunctionAnswersNull() {
    RouteTable.Resolution resolution = TABLE.resolve("GET", "/tail/", name -> null);
    assertEquals(Refusal.BAD_REQUEST, resolution.refusal().refusal());
  }

  @Test
  void shouldTakeTheDecodedQueryIdWhenItIsGivenOnceAmongOtherParameters() {
    assertEquals("a-1", resolve("GET", "/tail/", "x=1&app=a-1&y").match().id());
    assertEquals("a:1", resolve("GET", "/dump/", "app=a%3A1").match().id());
    assertEquals("a", resolve("GET", "/dump/", "%61pp=a").match().id());
  }

  @Test
  void shouldGiveEveryValueOfAParameterDecodedWhenQueried() {
    assertEquals(List.of(), RouteFilter.queryValues(null, "app"));
    assertEquals(List.of(), RouteFilter.queryValues("", "app"));
    assertEquals(List.of("a", "b"), RouteFilter.queryValues("app=a&x=1&app=b", "app"));
    assertEquals(List.of(""), RouteFilter.queryValues("app", "app"));
    assertEquals(List.of("a=b"), RouteFilter.queryValues("app=a=b", "app"));
    assertEquals(List.of("a b"), RouteFilter.queryValues("app=a+b", "app"));
    assertEquals(List.of(), RouteFilter.queryValues("APP=a", "app"));
    assertEquals(List.of(""), RouteFilter.queryValues("app=%z", "app"), "kept, to be refused");
  }

  @Test
  void shouldIgnoreTheQueryWhenTheRouteTakesItsIdFromThePath() {
    RouteTable.Resolution resolution = resolve("GET", "/apps/a/stream", "app=b&app=c");
    assertEquals("a", resolution.match().id());
  }

  @Test
  void shouldMatchARouteWithoutIdWithANullId() {
    RouteTable.Resolution resolution = resolve("POST", "/set-cookie", "app=a&app=b");
    assertEquals(SET_COOKIE, resolution.match().route());
    assertNull(resolution.match().id());
  }

  // ---------------------------------------------------------------- Route

  @Test
  void shouldExpandTheTemplateWithTheIdWhenTheRouteHasAPathParameter() {
    assertEquals("/apps/V/stream", STREAM.expand("V"));
    assertEquals("/firehose/s-1", FIREHOSE.expand("s-1"));
    assertEquals("/tail/", TAIL.expand("V"));
    assertEquals("/set-cookie", SET_COOKIE.expand(null));
  }

  @Test
  void shouldNameThePathParameterWhenThereIsOne() {
    assertEquals("appId", STREAM.pathParameter());
    assertEquals("subscriptionId", FIREHOSE.pathParameter());
    assertNull(TAIL.pathParameter());
    assertNull(SET_COOKIE.pathParameter());
  }

  @Test
  void shouldSayItHasAnIdWhenItTakesOneFromThePathOrTheQuery() {
    assertTrue(STREAM.hasId());
    assertTrue(FIREHOSE.hasId());
    assertTrue(TAIL.hasId());
    assertFalse(SET_COOKIE.hasId());
    assertFalse(Route.webSocket("/tail/", Credential.APP_LOGS).hasId());
  }

  @Test
  void shouldBuildWebSocketRoutesAsGetsWhenMadeWithTheFactory() {
    assertEquals("GET", STREAM.method());
    assertTrue(STREAM.webSocket());
    assertFalse(RECENT_LOGS.webSocket());
    assertEquals("app", TAIL.queryId());
    assertTrue(TAIL.webSocket());
    assertEquals(Credential.APP_LOGS, TAIL.credential());
  }

  @Test
  void shouldRefuseATemplateWithTwoParametersWhenConstructed() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Route.http("GET", "/apps/{appId}/x/{other}", Credential.APP_LOGS));
    assertThrows(
        IllegalArgumentException.class,
        () -> Route.webSocket("/apps/{appId}/stream", Credential.APP_LOGS).idFromQuery("app"));
    assertThrows(
        IllegalArgumentException.class, () -> Route.http("GET", "apps/x", Credential.PUBLIC));
    assertThrows(NullPointerException.class, () -> Route.http(null, "/x", Credential.PUBLIC));
    assertThrows(NullPointerException.class, () -> Route.http("GET", "/x", null));
  }

  // ---------------------------------------------------------------- the matrix's making

  static final String TRAILING_SLASH = "trailing slash";
  static final String UPPER_CASE = "upper case literal";
  static final String ANOTHER_CONTEXT = "another context";

  /** Variant classes that are canonical paths, only not of any route. */
  static final List<String> CANONICAL_ELSEWHERE =
      List.of(TRAILING_SLASH, UPPER_CASE, ANOTHER_CONTEXT);

  /**
   * Hostile spellings of one honest request's full raw path (context path included), each with the
   * class it belongs to. None is the honest spelling.
   */
  static Map<String, String> hostileVariants(String context, Honest honest) {
    String full = context + honest.path();
    Map<String, String> out = new LinkedHashMap<>();
    List<Integer> slashes = new ArrayList<>();
    for (int i = 0; i < full.length(); i++) {
      if (full.charAt(i) == '/') {
        slashes.add(i);
      }
    }
    out.put(full + "/", TRAILING_SLASH);
    out.put(full + ";x", "path parameter at the end");
    out.put(full + ";", "empty path parameter at the end");
    for (int s : slashes) {
      if (s > 0) {
        out.put(full.substring(0, s) + ";x" + full.substring(s), "path parameter in the middle");
        out.put(full.substring(0, s) + ";jsessionid=1" + full.substring(s), "session id");
      }
      out.put(full.substring(0, s) + "//" + full.substring(s + 1), "double slash");
      out.put(full.substring(0, s) + "/./" + full.substring(s + 1), "dot segment");
      out.put(full.substring(0, s) + "/x/../" + full.substring(s + 1), "dot-dot segment");
      out.put(full.substring(0, s) + "/../" + full.substring(s + 1), "dot-dot at the top");
      out.put(full.substring(0, s) + "/%2e%2e/" + full.substring(s + 1), "encoded dot-dot");
      out.put(full.substring(0, s) + "/x/%2e%2e/" + full.substring(s + 1), "encoded dot-dot");
      out.put(full.substring(0, s) + "/%2E/" + full.substring(s + 1), "encoded dot");
      out.put(full.substring(0, s) + "/.%2e/" + full.substring(s + 1), "half-encoded dot-dot");
      out.put(full.substring(0, s) + "\\" + full.substring(s + 1), "backslash for slash");
      out.put(full.substring(0, s) + "/\\" + full.substring(s + 1), "backslash after slash");
      out.put(full.substring(0, s) + "%2F" + full.substring(s + 1), "encoded slash");
      out.put(full.substring(0, s) + "%2f" + full.substring(s + 1), "encoded slash");
      out.put(full.substring(0, s) + "%252F" + full.substring(s + 1), "double-encoded slash");
      out.put(full.substring(0, s) + "%5C" + full.substring(s + 1), "encoded backslash");
      out.put(full.substring(0, s) + "\uff0f" + full.substring(s + 1), "fullwidth slash");
    }
    for (int i = 0; i < full.length(); i++) {
      char c = full.charAt(i);
      String before = full.substring(0, i);
      String after = full.substring(i + 1);
      if (c != '/') {
        String hex = String.format("%02X", (int) c);
        out.put(before + "%" + hex + after, "percent-encoded character");
        out.put(before + "%" + hex.toLowerCase(Locale.ROOT) + after, "percent-encoded character");
        out.put(before + "%25" + hex + after, "double-encoded character");
        out.put(before + c + "%00" + after, "encoded NUL");
        out.put(before + c + "\u0000" + after, "raw NUL");
        out.put(before + nonAscii(c) + after, "non-ASCII look-alike");
        out.put(before + c + "\u200b" + after, "zero-width space");
        out.put(before + c + "\u0301" + after, "combining accent");
        out.put(before + utf8PercentEncoded(nonAscii(c)) + after, "encoded non-ASCII");
      }
      if (c == '/') {
        out.put(before + "%2F" + after, "encoded slash");
      }
    }
    out.put(full + "%00", "encoded NUL at the end");
    out.put(full + "\\", "backslash at the end");
    out.put(full + "/.", "dot at the end");
    out.put(full + "/..", "dot-dot at the end");
    out.put(full + " ", "space at the end");
    out.put(full + "%20", "encoded space at the end");
    // Upper-case literal segments (context and id left as they are).
    String[] segments = honest.path().split("/", -1);
    String template = honest.route().template();
    String[] templateSegments = template.split("/", -1);
    for (int i = 1; i < segments.length; i++) {
      if (segments[i].isEmpty() || templateSegments[i].startsWith("{")) {
        continue;
      }
      for (String changed :
          List.of(
              segments[i].toUpperCase(Locale.ROOT),
              Character.toUpperCase(segments[i].charAt(0)) + segments[i].substring(1))) {
        String[] copy = segments.clone();
        copy[i] = changed;
        out.put(context + String.join("/", copy), UPPER_CASE);
      }
    }
    // The context path itself, spelled otherwise.
    if (!context.isEmpty()) {
      out.put(context.toUpperCase(Locale.ROOT) + honest.path(), "context in another case");
      out.put(
          "/" + Character.toUpperCase(context.charAt(1)) + context.substring(2) + honest.path(),
          "context in another case");
      out.put(context + ";x" + honest.path(), "context with a path parameter");
      out.put(context + "/" + honest.path(), "context then double slash");
      out.put(context + "x" + honest.path(), "longer context");
      out.put(honest.path(), "no context");
    } else {
      out.put("/doppler" + honest.path(), ANOTHER_CONTEXT);
    }
    out.remove(full);
    return out;
  }

  private static String nonAscii(char c) {
    return switch (c) {
      case 's' -> "\u017f"; // long s, upper-cases to S
      case 'i' -> "\u0131"; // dotless i
      case 'a' -> "\u0430"; // Cyrillic a
      case 'e' -> "\u0435"; // Cyrillic e
      case 'o' -> "\u043e"; // Cyrillic o
      case 'p' -> "\u0440"; // Cyrillic er
      case 'k' -> "\u212a"; // Kelvin sign, lower-cases to k
      case '-' -> "\u2010"; // hyphen
      case '.' -> "\u2024"; // one dot leader
      default -> c + "\u00e9";
    };
  }

  private static String utf8PercentEncoded(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      out.append('%').append(String.format("%02X", b & 0xff));
    }
    return out.toString();
  }

  /**
   * What a container might dispatch a raw URI on, relative to the context: the raw path itself (a
   * container that decodes nothing), and the path as a decoding, normalising container sees it
   * (path parameters dropped, percent-decoded once, backslashes as slashes, {@code //} collapsed,
   * dot segments resolved), with the context cut off whatever its case.
   */
  static List<String> containerPaths(String raw, String context) {
    List<String> out = new ArrayList<>();
    out.add(raw.length() >= context.length() ? raw.substring(context.length()) : raw);
    String decoded = normalise(decode(dropPathParameters(raw)).replace('\\', '/'));
    if (decoded.regionMatches(true, 0, context, 0, context.length())) {
      decoded = decoded.substring(context.length());
    }
    out.add(decoded);
    return out;
  }

  private static String dropPathParameters(String raw) {
    StringBuilder out = new StringBuilder();
    boolean inParameter = false;
    for (char c : raw.toCharArray()) {
      if (c == ';') {
        inParameter = true;
      } else if (c == '/') {
        inParameter = false;
      }
      if (!inParameter) {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String decode(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
        bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  private static String normalise(String path) {
    Deque<String> kept = new ArrayDeque<>();
    String[] segments = path.split("/", -1);
    for (int i = 1; i < segments.length; i++) {
      String s = segments[i];
      boolean last = i == segments.length - 1;
      if (s.equals("..")) {
        kept.pollLast();
        if (last) {
          kept.add("");
        }
      } else if (s.equals(".") || (s.isEmpty() && !last)) {
        if (last) {
          kept.add("");
        }
      } else {
        kept.add(s);
      }
    }
    return "/" + String.join("/", kept);
  }

  @Test
  void shouldSimulateAContainerThatDecodesAndNormalisesWhenBuildingTheMatrix() {
    assertEquals(
        List.of("/apps/x/%73tream", "/apps/x/stream"),
        containerPaths("/doppler/apps/x/%73tream", "/doppler"));
    assertEquals("/apps/x/stream", containerPaths("/apps/y/%2e%2e/x/stream;x", "").get(1));
    assertEquals("/apps/x/stream", containerPaths("/apps//x/./stream", "").get(1));
    assertEquals("/apps/x/stream", containerPaths("/Doppler;x/apps/x/stream", "/doppler").get(1));
    assertNotNull(hostileVariants("", honestRequests().get(0)).get("/apps/app-1/%73tream"));
  }
}
