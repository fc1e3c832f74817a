package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loggregator.auth.PemKeys;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.EnvelopeBatch;
import org.loggregator.protocol.RequestSignature;
import org.loggregator.protocol.TestEnvelopes;

/**
 * Access control on the real all-in-one server, black box: marker lines of app V flow in all the
 * time, and every route of the controller and of the doppler is tried with every non-canonical form
 * of its path and every kind of bad credential, over HTTP and WebSocket, from a plain socket (so
 * that no client library tidies the request). No response may carry V's marker; V's own token still
 * reads V on every canonical route. Then the caps, the browser rules of /set-cookie, the refusal
 * counters, and a handshake that never completes.
 */
class AccessControlIT {
  private static final int HTTP_PORT = 18400;
  private static final int UDP_PORT = 18402;
  private static final int INBOUND_PORT = 18403;
  private static final String SECRET = "access-control-it-secret-0123456789abcdef";
  private static final String ALLOWED_ORIGIN = "https://allowed.example";
  private static final String V = "victim-" + UUID.randomUUID();
  private static final String W = "other-" + UUID.randomUUID();
  private static final String MARKER = "MARKER-" + UUID.randomUUID();

  private static LocalTopology topology;
  private static LocalTopology.Server server;
  private static Tokens tokens;
  private static DatagramSocket udp;
  private static ExecutorService pump;
  private static volatile boolean pumping = true;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void startServerAndPumpMarkers() throws Exception {
    topology = new LocalTopology("it-access", 0, 0, 0, HTTP_PORT);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LOGGREGATOR_SHAREDSECRET", SECRET);
    env.put("CONTROLLER_INBOUNDPORT", "" + INBOUND_PORT);
    env.put("CONTROLLER_MAXSTREAMSPERAPP", "3");
    env.put("CONTROLLER_MAXFIREHOSECONNECTIONS", "2");
    env.put("CONTROLLER_ALLOWEDORIGINS", ALLOWED_ORIGIN);
    server = topology.addAllInOne("it-access", HTTP_PORT, UDP_PORT, env);
    tokens = new Tokens(PemKeys.generate());
    Path keys = topology.serverDir(server).resolve("resources/security");
    Files.createDirectories(keys);
    // Two keys, as during a rotation: the RSA key and an EC P-256 key; either verifies.
    Files.writeString(keys.resolve("token-public.pem"), tokens.publicKeysPem());
    topology.startAll();

    udp = new DatagramSocket();
    udp.connect(new InetSocketAddress("127.0.0.1", UDP_PORT));
    pump = Executors.newSingleThreadExecutor();
    pump.execute(AccessControlIT::pumpMarkers);
    Thread.sleep(500);
  }

  @AfterAll
  static void stop() throws Exception {
    pumping = false;
    if (pump != null) {
      pump.shutdownNow();
      pump.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (udp != null) {
      udp.close();
    }
    if (topology != null) {
      topology.close();
    }
  }

  /**
   * V's marker lines and container metrics, and W's lines, every 50 ms, as long as the test runs.
   */
  private static void pumpMarkers() {
    DatagramSignature signature = new DatagramSignature(SECRET);
    long n = 0;
    while (pumping) {
      try {
        n++;
        for (byte[] envelope :
            List.of(
                DopplerEndpointsIT.logEnvelope(V, MARKER + " " + n, n),
                DopplerEndpointsIT.logEnvelope(W, "w " + n, n),
                metric(V, n))) {
          byte[] signed = signature.sign(envelope, 0, envelope.length);
          udp.send(new DatagramPacket(signed, signed.length));
        }
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      } catch (java.io.IOException e) {
        // the test fails elsewhere if nothing arrives
      }
    }
  }

  private static byte[] metric(String appId, long n) {
    return TestEnvelopes.bytes(
        TestEnvelopes.containerMetric(appId, 0, 1, 1, 1).setOrigin(MARKER).setTimestamp(n));
  }

  // ---- the routes, the forms of their paths, the credentials ----

  /** A route as a client reaches it: its canonical path (and query) for V, and its kind. */
  private record Target(String name, String path, String query, boolean webSocket) {
    String target() {
      return query == null ? path : path + "?" + query;
    }
  }

  private static List<Target> controllerTargets() {
    return List.of(
        new Target("stream", "/apps/" + V + "/stream", null, true),
        new Target("recentlogs", "/apps/" + V + "/recentlogs", null, false),
        new Target("containermetrics", "/apps/" + V + "/containermetrics", null, false),
        new Target("tail", "/tail/", "app=" + V, true),
        new Target("dump", "/dump/", "app=" + V, true),
        new Target("firehose", "/firehose/it-sub", null, true));
  }

  private static List<Target> dopplerTargets() {
    return List.of(
        new Target("doppler stream", "/doppler/apps/" + V + "/stream", null, true),
        new Target("doppler recentlogs", "/doppler/apps/" + V + "/recentlogs", null, false),
        new Target(
            "doppler containermetrics", "/doppler/apps/" + V + "/containermetrics", null, false),
        new Target("doppler firehose", "/doppler/firehose/it-sub", null, true));
  }

  /** Every non-canonical form of a path (and of its query), each a way around a naive check. */
  static List<String> variants(Target t) {
    String p = t.path();
    String q = t.query() == null ? "" : "?" + t.query();
    List<String> out = new ArrayList<>();
    String[] segments = p.substring(1).split("/", -1);
    String last =
        segments[segments.length - 1].isEmpty() && segments.length > 1
            ? segments[segments.length - 2]
            : segments[segments.length - 1];
    int lastAt = p.lastIndexOf(last);
    out.add(p + "/" + q);
    out.add(p + ";x" + q);
    out.add(p + ";jsessionid=1" + q);
    out.add("/" + segments[0] + ";x" + p.substring(segments[0].length() + 1) + q);
    out.add("/" + segments[0] + "%3Bx" + p.substring(segments[0].length() + 1) + q);
    out.add(p.substring(0, lastAt) + "%" + hex(last.charAt(0)) + p.substring(lastAt + 1) + q);
    out.add(
        p.substring(0, lastAt)
            + "%"
            + hex(last.charAt(0)).toLowerCase()
            + p.substring(lastAt + 1)
            + q);
    out.add(p.substring(0, lastAt) + "%25" + hex(last.charAt(0)) + p.substring(lastAt + 1) + q);
    out.add("/" + p + q);
    String head = "/" + segments[0];
    String rest = p.substring(head.length());
    out.add(head + "/" + rest + q);
    out.add("/./" + p.substring(1) + q);
    out.add("/" + segments[0] + "/./" + p.substring(segments[0].length() + 2) + q);
    out.add("/" + segments[0] + "/x/../" + p.substring(segments[0].length() + 2) + q);
    out.add("/" + segments[0] + "/x/%2e%2e/" + p.substring(segments[0].length() + 2) + q);
    out.add("/" + segments[0] + "/x/%2E%2E/" + p.substring(segments[0].length() + 2) + q);
    out.add("/x/.." + p + q);
    out.add(p.replace("/", "%2F") + q);
    out.add("/" + segments[0] + "%2F" + p.substring(segments[0].length() + 2) + q);
    out.add(p.toUpperCase() + q);
    out.add("/" + segments[0].toUpperCase() + p.substring(segments[0].length() + 1) + q);
    out.add(p.substring(0, lastAt) + last.toUpperCase() + p.substring(lastAt + last.length()) + q);
    out.add(p + "%00" + q);
    out.add(p + "%20" + q);
    out.add(p + "/." + q);
    out.add(p + "/.." + p + q);
    out.add(p.replace("/", "\\") + q);
    out.add(p + "#frag" + q);
    if (p.contains(V)) {
      out.add(p.replace(V, "%" + hex(V.charAt(0)) + V.substring(1)) + q);
      out.add(p.replace(V, V + ";x") + q);
      out.add(p.replace(V, V.toUpperCase()) + q);
    }
    if (t.query() != null) {
      out.add(p + "?app=" + V + "&app=" + W);
      out.add(p + "?app=" + W + "&app=" + V);
      out.add(p + "?APP=" + V);
      out.add(p + "?app=%" + hex(V.charAt(0)) + V.substring(1));
      out.add(p + "?app=" + V + "%00");
      out.add(p + "?app=" + V + "&app");
      out.add(p + "?app");
      out.add(p.substring(0, p.length() - 1) + "?app=" + V);
    }
    if (p.startsWith("/doppler/")) {
      String inDoppler = p.substring("/doppler".length());
      out.add("/DOPPLER" + inDoppler + q);
      out.add("/doppler;x" + inDoppler + q);
      out.add("//doppler" + inDoppler + q);
      out.add("/doppler/." + inDoppler + q);
      out.add("/%64oppler" + inDoppler + q);
      out.add("/controller/../doppler" + inDoppler + q);
    }
    return out;
  }

  private static String hex(char c) {
    return String.format("%02X", (int) c);
  }

  /** A way of presenting (or not) a credential. */
  private record Credential(String name, Map<String, String> headers, String query) {
    static Credential header(String name, String value) {
      return new Credential(name, Map.of("Authorization", value), null);
    }
  }

  /** Every kind of bad credential for the target on the controller, none of which may read it. */
  private static List<Credential> badTokens(Target t) {
    boolean firehose = t.name().endsWith("firehose");
    List<Credential> out = new ArrayList<>();
    if (firehose) {
      out.add(Credential.header("an app token on the firehose", "bearer " + tokens.forApp(V)));
      out.add(Credential.header("admin without the firehose scope", "bearer " + tokens.admin()));
    } else {
      out.add(Credential.header("firehose scope only", "bearer " + tokens.firehoseOnly()));
    }
    out.add(new Credential("none", Map.of(), null));
    out.add(Credential.header("garbage", "bearer garbage"));
    out.add(Credential.header("empty bearer", "bearer "));
    out.add(Credential.header("basic", "Basic dXNlcjpwYXNz"));
    out.add(Credential.header("expired", "bearer " + tokens.expired(V)));
    out.add(Credential.header("not yet valid", "bearer " + tokens.notYetValid(V)));
    out.add(Credential.header("wrong issuer", "bearer " + tokens.wrongIssuer(V)));
    out.add(Credential.header("wrong audience", "bearer " + tokens.wrongAudience(V)));
    out.add(Credential.header("no audience", "bearer " + tokens.noAudience(V)));
    out.add(Credential.header("another key", "bearer " + tokens.otherKey(V)));
    out.add(Credential.header("another EC key", "bearer " + tokens.otherEcKey(V)));
    out.add(Credential.header("alg none", "bearer " + tokens.algNone(V)));
    out.add(
        Credential.header("HS256 with the public key", "bearer " + tokens.hmacWithPublicKey(V)));
    out.add(Credential.header("tampered payload", "bearer " + tokens.tampered(V)));
    out.add(Credential.header("signature stripped", "bearer " + tokens.signatureStripped(V)));
    out.add(Credential.header("other app", "bearer " + tokens.forApp(W)));
    out.add(Credential.header("no scope", "bearer " + tokens.noScope(V)));
    out.add(Credential.header("ES384", "bearer " + tokens.es384(V)));
    out.add(
        new Credential(
            "cookie from another origin",
            Map.of(
                "Cookie",
                "authorization=bearer%20" + tokens.forApp(V),
                "Origin",
                "https://evil.example"),
            null));
    out.add(
        new Credential(
            "cookie from origin null",
            Map.of("Cookie", "authorization=bearer%20" + tokens.forApp(V), "Origin", "null"),
            null));
    out.add(
        new Credential(
            "two Authorization headers",
            Map.of(
                "Authorization",
                "bearer " + tokens.forApp(W),
                "authorization",
                "bearer " + tokens.forApp(V)),
            null));
    out.add(new Credential("token in the query", Map.of(), "access_token=" + tokens.forApp(V)));
    return out;
  }

  /** Bad controller signatures for the doppler's routes (plus every bad token). */
  private static List<Credential> badSignatures(Target t) {
    RequestSignature wrongSecret = new RequestSignature("not-the-secret-" + SECRET);
    RequestSignature right = new RequestSignature(SECRET);
    long now = System.currentTimeMillis() / 1000;
    String relative = t.path().substring("/doppler".length());
    RequestSignature.Request request = RequestSignature.Request.get(relative);
    String other = relative.replace(V, W).replace("it-sub", "other-sub");
    List<Credential> out = new ArrayList<>(badTokens(t));
    out.add(sig("garbage signature", "t=1,n=2,sig=3"));
    out.add(sig("wrong secret", wrongSecret.header(request, now)));
    out.add(sig("other path", right.header(RequestSignature.Request.get(other), now)));
    out.add(sig("full path signed", right.header(RequestSignature.Request.get(t.path()), now)));
    out.add(sig("stale", right.header(request, now - 120)));
    out.add(sig("future", right.header(request, now + 120)));
    out.add(
        sig(
            "other method",
            right.header(new RequestSignature.Request("POST", relative, "", ""), now)));
    out.add(sig("other query", right.header(RequestSignature.Request.get(relative + "?x=1"), now)));
    if (t.webSocket()) {
      out.add(
          sig(
              "other subprotocol",
              right.header(request.withSubprotocols(EnvelopeBatch.SUBPROTOCOL), now)));
    }
    return out;
  }

  private static Credential sig(String name, String value) {
    return new Credential(name, Map.of(RequestSignature.HEADER, value), null);
  }

  private static RawHttp.Response send(Target t, String target, Credential c) {
    String full =
        c.query() == null ? target : target + (target.contains("?") ? "&" : "?") + c.query();
    return t.webSocket()
        ? RawHttp.webSocket(HTTP_PORT, full, c.headers(), 1500)
        : RawHttp.request(HTTP_PORT, "GET", full, c.headers());
  }

  // ---- the tests ----

  @Test
  void shouldServeNoMarkerToAnyPathFormWithAnyBadCredentialOnAnyRoute() throws Exception {
    List<String> leaks = new ArrayList<>();
    List<Case> cases = new ArrayList<>();
    for (Target t : controllerTargets()) {
      List<String> forms = new ArrayList<>(variants(t));
      forms.add(0, t.target());
      for (String form : forms) {
        for (Credential c : badTokens(t)) {
          cases.add(new Case(t, form, c));
        }
        if (!form.equals(t.target())) {
          Credential valid =
              t.name().equals("firehose")
                  ? Credential.header("valid firehose token", "bearer " + tokens.firehoseOnly())
                  : Credential.header("V's valid token", "bearer " + tokens.forApp(V));
          cases.add(new Case(t, form, valid).mayServe());
        }
      }
    }
    for (Target t : dopplerTargets()) {
      List<String> forms = new ArrayList<>(variants(t));
      forms.add(0, t.target());
      for (String form : forms) {
        for (Credential c : badSignatures(t)) {
          cases.add(new Case(t, form, c));
        }
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (Case c : cases) {
        results.add(pool.submit(c::run));
      }
      for (Future<String> r : results) {
        String leak = r.get(60, TimeUnit.SECONDS);
        if (leak != null) {
          leaks.add(leak);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.println("Access matrix: " + cases.size() + " cases, " + leaks.size() + " served");
    assertTrue(cases.size() > 2000, "the matrix has " + cases.size() + " cases");
    assertEquals(
        List.of(), leaks, leaks.size() + " of " + cases.size() + " cases leaked or were served");
  }

  /** One case of the matrix; null when it was refused and carried no marker. */
  private record Case(Target target, String form, Credential credential, boolean mayBeServed) {
    Case(Target target, String form, Credential credential) {
      this(target, form, credential, false);
    }

    Case mayServe() {
      return new Case(target, form, credential, true);
    }

    String run() {
      RawHttp.Response r = send(target, form, credential);
      boolean served = r.status() == 200 || r.status() == 101 || r.contains(MARKER);
      if (served && !mayBeServed) {
        return target.name()
            + " "
            + form
            + " with "
            + credential.name()
            + " answered "
            + r.status()
            + (r.contains(MARKER) ? " WITH THE MARKER" : "");
      }
      if (r.status() < 0) {
        return target.name() + " " + form + " with " + credential.name() + ": no HTTP answer";
      }
      return null;
    }
  }

  @Test
  void shouldServeVOnEveryCanonicalRouteWithVsOwnCredentials() {
    Credential v = Credential.header("V", "bearer " + tokens.forApp(V));
    for (Target t : controllerTargets()) {
      Credential c =
          t.name().equals("firehose")
              ? Credential.header("firehose", "bearer " + tokens.firehoseOnly())
              : v;
      RawHttp.Response r =
          t.webSocket()
              ? RawHttp.webSocket(HTTP_PORT, t.target(), c.headers(), 10_000, MARKER)
              : RawHttp.request(HTTP_PORT, "GET", t.target(), c.headers());
      assertEquals(t.webSocket() ? 101 : 200, r.status(), t.name() + ": " + r.text());
      assertTrue(r.contains(MARKER), t.name() + " carries V's marker");
    }
    RawHttp.Response es256 =
        RawHttp.request(
            HTTP_PORT,
            "GET",
            "/apps/" + V + "/recentlogs",
            Map.of("Authorization", "bearer " + tokens.es256(V)));
    assertEquals(200, es256.status(), "an ES256 token from the second key of the PEM file");
    assertTrue(es256.contains(MARKER));
    RawHttp.Response cookie =
        RawHttp.webSocket(
            HTTP_PORT,
            "/apps/" + V + "/stream",
            Map.of(
                "Cookie", "authorization=bearer%20" + tokens.forApp(V),
                "Origin", "http://127.0.0.1:" + HTTP_PORT),
            10_000,
            MARKER);
    assertEquals(101, cookie.status(), "V's cookie from the server's own page");
    assertTrue(cookie.contains(MARKER));
    RawHttp.Response allowed =
        RawHttp.webSocket(
            HTTP_PORT,
            "/apps/" + V + "/stream",
            Map.of(
                "Cookie", "authorization=bearer%20" + tokens.forApp(V), "Origin", ALLOWED_ORIGIN),
            500);
    assertEquals(101, allowed.status(), "V's cookie from an allowed origin");
  }

  @Test
  void shouldServeTheViewerOnlyOnItsCanonicalPathsAndNeverAnyLogData() {
    RawHttp.Response canonicalPage = RawHttp.request(HTTP_PORT, "GET", "/view/" + V, Map.of());
    for (Target t :
        List.of(
            new Target("viewer page", "/view/" + V, null, false),
            new Target("viewer chooser", "/view/", null, false),
            new Target("viewer script", "/view/assets/main.js", null, false))) {
      RawHttp.Response served = RawHttp.request(HTTP_PORT, "GET", t.path(), Map.of());
      assertEquals(200, served.status(), t.name());
      assertFalse(served.contains(MARKER), t.name());
      assertFalse(served.contains(V.substring("victim-".length())), "the id is not reflected");
      String policy = served.header("Content-Security-Policy");
      assertNotNull(policy, t.name());
      assertTrue(
          policy.startsWith("default-src 'self';") && policy.contains("frame-ancestors 'none'"));
      assertFalse(policy.contains("unsafe"), policy);
      assertEquals("no-referrer", served.header("Referrer-Policy"));
      assertEquals("nosniff", served.header("X-Content-Type-Options"));
      for (String form : variants(t)) {
        if (form.matches("/view/[A-Za-z0-9._:-]+")) {
          continue; // the canonical page of another app id (V in upper case), as public as V's
        }
        RawHttp.Response r = RawHttp.request(HTTP_PORT, "GET", form, Map.of());
        assertFalse(r.contains(MARKER), form);
        if (form.contains(";jsessionid=")) {
          // Liberty cuts a session id from the URI before any filter sees it (SECURITY.md §2):
          // such a request may get only what the canonical path gets, the same static file.
          assertTrue(r.status() == 404 || body(r).equals(body(served)), form);
          continue;
        }
        assertTrue(
            r.status() >= 400 && r.status() < 500, t.name() + " " + form + ": " + r.status());
      }
    }
    assertTrue(canonicalPage.header("Cache-Control").contains("no-store"));
    for (String path :
        List.of(
            "/view",
            "/view/assets/",
            "/view/assets/index.html",
            "/view/assets/nope.js",
            "/view/assets/main.js/x",
            "/view/" + V + "/",
            "/view/...",
            "/view/" + "x".repeat(129))) {
      RawHttp.Response r = RawHttp.request(HTTP_PORT, "GET", path, Map.of());
      assertTrue(r.status() == 404 || r.status() == 400, path + " answered " + r.status());
    }
    assertEquals(405, RawHttp.request(HTTP_PORT, "POST", "/view/" + V, Map.of(), "").status());
  }

  private static String body(RawHttp.Response r) {
    String text = r.text();
    return text.substring(text.indexOf("\r\n\r\n") + 4);
  }

  @Test
  void shouldServeTheDopplerOnlyAFreshSignatureAndOnlyOnce() {
    RequestSignature right = new RequestSignature(SECRET);
    String header =
        right.header(
            RequestSignature.Request.get("/apps/" + V + "/recentlogs"),
            System.currentTimeMillis() / 1000);
    Map<String, String> signed = Map.of(RequestSignature.HEADER, header);
    RawHttp.Response first =
        RawHttp.request(HTTP_PORT, "GET", "/doppler/apps/" + V + "/recentlogs", signed);
    assertEquals(200, first.status(), first.text());
    assertTrue(first.contains(MARKER));
    RawHttp.Response replay =
        RawHttp.request(HTTP_PORT, "GET", "/doppler/apps/" + V + "/recentlogs", signed);
    assertEquals(401, replay.status());
    assertFalse(replay.contains(MARKER));

    String wsHeader =
        right.header(
            RequestSignature.Request.get("/apps/" + V + "/stream"),
            System.currentTimeMillis() / 1000);
    RawHttp.Response stream =
        RawHttp.webSocket(
            HTTP_PORT,
            "/doppler/apps/" + V + "/stream",
            Map.of(RequestSignature.HEADER, wsHeader),
            10_000,
            MARKER);
    assertEquals(101, stream.status());
    assertTrue(stream.contains(MARKER));
    RawHttp.Response replayed =
        RawHttp.webSocket(
            HTTP_PORT,
            "/doppler/apps/" + V + "/stream",
            Map.of(RequestSignature.HEADER, wsHeader),
            1000);
    assertEquals(401, replayed.status());
  }

  @Test
  void shouldAnswerNotFoundForEveryPathOutsideTheRouteTables() {
    Map<String, String> v = Map.of("Authorization", "bearer " + tokens.forApp(V));
    for (String path :
        List.of(
            "/",
            "/apps",
            "/apps/",
            "/apps/" + V,
            "/apps/" + V + "/",
            "/apps/" + V + "/logs",
            "/apps/" + V + "/recentlogs/extra",
            "/firehose",
            "/firehose/",
            "/tail",
            "/dump",
            "/v2/read",
            "/doppler",
            "/doppler/",
            "/doppler/apps/" + V,
            "/doppler/set-cookie",
            "/index.html",
            "/WEB-INF/web.xml",
            "/META-INF/MANIFEST.MF",
            "/health/../apps/" + V + "/recentlogs",
            "/metrics/../apps/" + V + "/recentlogs")) {
      RawHttp.Response r = RawHttp.request(HTTP_PORT, "GET", path, v);
      assertTrue(r.status() >= 400 && r.status() < 500, path + " answered " + r.status());
      assertFalse(r.contains(MARKER), path);
    }
    RawHttp.Response post = RawHttp.request(HTTP_PORT, "POST", "/apps/" + V + "/recentlogs", v, "");
    assertEquals(405, post.status());
    RawHttp.Response options =
        RawHttp.request(HTTP_PORT, "OPTIONS", "/apps/" + V + "/recentlogs", v);
    assertFalse(options.contains(MARKER));
  }

  @Test
  void shouldRefuseAStreamPastTheCapOfItsAppAndLeaveOtherAppsAlone() throws Exception {
    String app = "capped-" + UUID.randomUUID();
    Map<String, String> auth = Map.of("Authorization", "bearer " + tokens.forApp(app, W));
    List<DopplerClient.Subscription> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(
            DopplerClient.Subscription.open(
                http,
                URI.create("ws://127.0.0.1:" + HTTP_PORT + "/apps/" + app + "/stream"),
                auth,
                true));
      }
      RawHttp.Response fourth = RawHttp.webSocket(HTTP_PORT, "/apps/" + app + "/stream", auth, 200);
      assertEquals(429, fourth.status(), fourth.text());
      RawHttp.Response other = RawHttp.webSocket(HTTP_PORT, "/apps/" + W + "/stream", auth, 200);
      assertEquals(101, other.status(), "another app is unaffected");
      open.remove(0).close();
      boolean admitted = false;
      for (int i = 0; i < 50 && !admitted; i++) {
        Thread.sleep(100);
        admitted =
            RawHttp.webSocket(HTTP_PORT, "/apps/" + app + "/stream", auth, 100).status() == 101;
      }
      assertTrue(admitted, "a place given back is taken again");
    } finally {
      open.forEach(DopplerClient.Subscription::close);
    }

    Map<String, String> firehose = Map.of("Authorization", "bearer " + tokens.firehoseOnly());
    List<DopplerClient.Subscription> hoses = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        hoses.add(
            DopplerClient.Subscription.open(
                http,
                URI.create("ws://127.0.0.1:" + HTTP_PORT + "/firehose/capped"),
                firehose,
                true));
      }
      assertEquals(429, RawHttp.webSocket(HTTP_PORT, "/firehose/capped", firehose, 200).status());
      assertEquals(101, RawHttp.webSocket(HTTP_PORT, "/firehose/another", firehose, 200).status());
    } finally {
      hoses.forEach(DopplerClient.Subscription::close);
    }
    assertTrue(metric("accessControl_refusedRequests_total", "reason=\"cap\"") >= 2);
  }

  @Test
  void shouldSetOnlyItsOwnCookieAndOnlyForItsOwnOrAllowedOrigins() {
    String form = "CookieName=authorization&CookieValue=bearer+" + tokens.forApp(V);
    Map<String, String> formType = Map.of("Content-Type", "application/x-www-form-urlencoded");

    RawHttp.Response plain = RawHttp.request(HTTP_PORT, "POST", "/set-cookie", formType, form);
    assertEquals(200, plain.status(), plain.text());
    String cookie = plain.header("Set-Cookie");
    assertNotNull(cookie);
    assertTrue(cookie.startsWith("authorization="), cookie);
    assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
    assertNull(plain.header("Access-Control-Allow-Origin"));

    Map<String, String> evil = new LinkedHashMap<>(formType);
    evil.put("Origin", "https://evil.example");
    RawHttp.Response crossOrigin = RawHttp.request(HTTP_PORT, "POST", "/set-cookie", evil, form);
    assertEquals(403, crossOrigin.status());
    assertNull(crossOrigin.header("Set-Cookie"));
    assertNull(crossOrigin.header("Access-Control-Allow-Origin"));

    Map<String, String> crossSite = new LinkedHashMap<>(formType);
    crossSite.put("Sec-Fetch-Site", "cross-site");
    assertEquals(403, RawHttp.request(HTTP_PORT, "POST", "/set-cookie", crossSite, form).status());

    Map<String, String> allowed = new LinkedHashMap<>(formType);
    allowed.put("Origin", "HTTPS://ALLOWED.example:443");
    RawHttp.Response fromAllowed = RawHttp.request(HTTP_PORT, "POST", "/set-cookie", allowed, form);
    assertEquals(200, fromAllowed.status());
    assertEquals(ALLOWED_ORIGIN, fromAllowed.header("Access-Control-Allow-Origin"));

    Map<String, String> own = new LinkedHashMap<>(formType);
    own.put("Origin", "http://127.0.0.1:" + HTTP_PORT);
    RawHttp.Response fromOwn = RawHttp.request(HTTP_PORT, "POST", "/set-cookie", own, form);
    assertEquals(200, fromOwn.status());
    assertNull(fromOwn.header("Access-Control-Allow-Origin"));

    RawHttp.Response otherName =
        RawHttp.request(
            HTTP_PORT, "POST", "/set-cookie", formType, "CookieName=JSESSIONID&CookieValue=x");
    assertEquals(400, otherName.status());
    assertNull(otherName.header("Set-Cookie"));
    RawHttp.Response injection =
        RawHttp.request(
            HTTP_PORT,
            "POST",
            "/set-cookie",
            formType,
            "CookieName=authorization&CookieValue=a.b.c%3B%20Domain%3Devil.example");
    assertEquals(400, injection.status());
    assertEquals(405, RawHttp.request(HTTP_PORT, "GET", "/set-cookie", Map.of()).status());
  }

  @Test
  void shouldCountEveryRefusalByReason() {
    RawHttp.request(HTTP_PORT, "GET", "/apps/" + V + "/recentlogs", Map.of());
    RawHttp.request(HTTP_PORT, "GET", "/apps/" + V + "/recentlogs/", Map.of());
    RawHttp.request(
        HTTP_PORT,
        "GET",
        "/apps/" + V + "/recentlogs",
        Map.of("Authorization", "bearer " + tokens.expired(V)));
    RawHttp.request(
        HTTP_PORT,
        "GET",
        "/apps/" + V + "/recentlogs",
        Map.of("Authorization", "bearer " + tokens.forApp(W)));
    RawHttp.request(
        HTTP_PORT,
        "GET",
        "/apps/" + V + "/recentlogs",
        Map.of("Authorization", "bearer " + tokens.noScope(V)));
    RawHttp.request(
        HTTP_PORT,
        "GET",
        "/apps/" + V + "/recentlogs",
        Map.of("Authorization", "bearer " + tokens.otherKey(V)));
    RawHttp.request(
        HTTP_PORT,
        "GET",
        "/apps/" + V + "/recentlogs",
        Map.of("Authorization", "bearer " + tokens.wrongAudience(V)));
    RawHttp.webSocket(
        HTTP_PORT,
        "/apps/" + V + "/stream",
        Map.of("Cookie", "authorization=" + tokens.forApp(V), "Origin", "https://evil.example"),
        100);
    for (String reason :
        List.of(
            "no_credential",
            "unknown_route",
            "expired",
            "other_app",
            "scope",
            "bad_signature",
            "audience",
            "origin")) {
      assertTrue(
          metric(
                  "accessControl_refusedRequests_total",
                  "component=\"controller\"",
                  "reason=\"" + reason + "\"")
              >= 1,
          reason);
    }
    RawHttp.request(HTTP_PORT, "GET", "/doppler/apps/" + V + "/recentlogs", Map.of());
    assertTrue(
        metric(
                "accessControl_refusedRequests_total",
                "component=\"doppler\"",
                "reason=\"no_credential\"")
            >= 1);
    assertTrue(
        Files.exists(topology.serverDir(server).resolve("logs/messages.log")),
        "refusals are logged there, at most once a minute per reason");
  }

  @Test
  void shouldBindDrainsThroughTheAdminApiOnlyWithTheAdminScopeAndDeliverToThem() throws Exception {
    String app = "admin-drain-" + UUID.randomUUID();
    String path = "/admin/apps/" + app + "/drains";
    try (java.net.ServerSocket syslog =
        new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      String url = "syslog://127.0.0.1:" + syslog.getLocalPort();
      Map<String, String> text = Map.of("Content-Type", "text/plain");
      assertEquals(401, RawHttp.request(HTTP_PORT, "PUT", path, text, url + "\n").status());
      Map<String, String> appToken = new LinkedHashMap<>(text);
      appToken.put("Authorization", "bearer " + tokens.forApp(app));
      assertEquals(403, RawHttp.request(HTTP_PORT, "PUT", path, appToken, url + "\n").status());
      Map<String, String> adminCookie = new LinkedHashMap<>(text);
      adminCookie.put("Cookie", "authorization=bearer%20" + tokens.admin());
      adminCookie.put("Origin", "http://127.0.0.1:" + HTTP_PORT);
      assertEquals(401, RawHttp.request(HTTP_PORT, "PUT", path, adminCookie, url + "\n").status());
      Map<String, String> admin = new LinkedHashMap<>(text);
      admin.put("Authorization", "bearer " + tokens.admin());
      RawHttp.Response bad =
          RawHttp.request(HTTP_PORT, "PUT", path, admin, "ftp://files.example/x\n");
      assertEquals(400, bad.status(), bad.text());

      RawHttp.Response bound = RawHttp.request(HTTP_PORT, "PUT", path, admin, url + "\n");
      assertEquals(200, bound.status(), bound.text());
      assertTrue(bound.contains("z1: " + url), bound.text());

      String marker = "ADMIN-BOUND-" + UUID.randomUUID();
      DatagramSignature signature = new DatagramSignature(SECRET);
      byte[] envelope = DopplerEndpointsIT.logEnvelope(app, marker, 1);
      byte[] signed = signature.sign(envelope, 0, envelope.length);
      syslog.setSoTimeout(30_000);
      udp.send(new DatagramPacket(signed, signed.length));
      try (Socket drain = syslog.accept()) {
        drain.setSoTimeout(30_000);
        byte[] got = drain.getInputStream().readNBytes(64);
        assertTrue(got.length > 0, "the doppler connected and wrote to the bound drain");
      }
      assertEquals(200, RawHttp.request(HTTP_PORT, "DELETE", path, admin).status());
    }
    // The doppler's own admin route takes only a controller's signature over the exact body.
    RequestSignature right = new RequestSignature(SECRET);
    byte[] body = "syslog://127.0.0.1:1\n".getBytes(StandardCharsets.UTF_8);
    RequestSignature.Request put =
        new RequestSignature.Request("PUT", "/apps/" + app + "/drains", "", "").withBody(body);
    Map<String, String> tampered = new LinkedHashMap<>();
    tampered.put("Content-Type", "text/plain");
    tampered.put(RequestSignature.HEADER, right.header(put, System.currentTimeMillis() / 1000));
    tampered.put(RequestSignature.CONTENT_HEADER, put.content());
    RawHttp.Response changed =
        RawHttp.request(
            HTTP_PORT,
            "PUT",
            "/doppler/apps/" + app + "/drains",
            tampered,
            "syslog://127.0.0.1:2\n");
    assertEquals(400, changed.status(), "a body that is not the one signed is refused");
  }

  @Test
  void shouldCloseAConnectionThatNeverCompletesItsHandshake() throws Exception {
    List<Future<String>> outcomes = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(2);
    try {
      for (String sent :
          List.of(
              "",
              "GET /apps/" + V + "/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")) {
        outcomes.add(clients.submit(() -> silentClient(sent)));
      }
      for (Future<String> outcome : outcomes) {
        String got = outcome.get(90, TimeUnit.SECONDS);
        assertFalse(got.contains(MARKER));
        assertTrue(got.isEmpty() || got.startsWith("HTTP/1.1 408"), got);
      }
    } finally {
      clients.shutdownNow();
    }
  }

  /** Sends {@code sent}, then nothing; what the server said before it closed the connection. */
  private static String silentClient(String sent) throws java.io.IOException {
    try (Socket socket = new Socket("127.0.0.1", HTTP_PORT)) {
      socket.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      // The server closes within twice http.handshakeTimeout (10 s); a read timeout here fails.
      socket.setSoTimeout(60_000);
      byte[] buffer = new byte[4096];
      StringBuilder got = new StringBuilder();
      int n;
      while ((n = socket.getInputStream().read(buffer)) > 0) {
        got.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      }
      return got.toString();
    }
  }

  private double metric(String name, String... labels) {
    RawHttp.Response r = RawHttp.request(HTTP_PORT, "GET", "/metrics?scope=application", Map.of());
    double sum = 0;
    for (String line : r.text().split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= line.contains(label);
      }
      if (all) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
      }
    }
    return sum;
  }
}
