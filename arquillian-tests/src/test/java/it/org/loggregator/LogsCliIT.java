package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.loggregator.auth.PemKeys;
import org.loggregator.cli.token.TokenClaims;
import org.loggregator.cli.token.TokenMinter;
import org.loggregator.protocol.MultipartEnvelopes;
import org.loggregator.protocol.RequestSignature;
import org.loggregator.protocol.events.Envelope;

/**
 * The {@code logs} command as a user installs and runs it, against one real all-in-one server, with
 * every line sent by the real agent running a shell: the tail and Ctrl-C, the seam of {@code
 * --recent --follow}, {@code --lines}, {@code --since}, the filters, colours and escaped control
 * characters, the exit codes, and the recent-logs parameters as the servers check them. (The tail
 * runs first: it opens the controller's first connection to its doppler.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogsCliIT {
  private static final int HTTP_PORT = 18500;
  private static final int UDP_PORT = 18502;
  private static final int INBOUND_PORT = 18503;
  private static final String SECRET = "logs-cli-it-secret-0123456789abcdef01234";

  @TempDir static Path temp;
  private static LocalTopology topology;
  private static TokenMinter minter;
  private static InstalledLogs logs;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    topology = new LocalTopology("it-logs", 0, 0, 0, HTTP_PORT);
    LocalTopology.Server server =
        topology.addAllInOne(
            "it-logs",
            HTTP_PORT,
            UDP_PORT,
            Map.of(
                "LOGGREGATOR_SHAREDSECRET", SECRET, "CONTROLLER_INBOUNDPORT", "" + INBOUND_PORT));
    topology.startAll();
    minter =
        new TokenMinter(
            PemKeys.readPrivate(
                topology.serverDir(server).resolve("resources/security/token-private.pem")));
    logs = InstalledLogs.install(temp);
  }

  @AfterAll
  static void stop() throws Exception {
    if (topology != null) {
      topology.close();
    }
  }

  private static String app(String what) {
    return what + "-" + UUID.randomUUID();
  }

  private static Map<String, String> env(String app) {
    return Map.of(
        "LOGS_ENDPOINT",
        "http://127.0.0.1:" + HTTP_PORT,
        "LOGS_TOKEN",
        minter.mint(TokenClaims.forApps(app)));
  }

  /** Runs {@code script} under the real agent as instance {@code instance} of the app. */
  private static void ship(String app, String instance, String sourceType, String script)
      throws Exception {
    Process agent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("it.agent.jar"),
                "run",
                "--shared-secret",
                SECRET,
                "--app-id",
                app,
                "--instance",
                instance,
                "--source-type",
                sourceType,
                "--dopplers",
                "127.0.0.1:" + UDP_PORT,
                "--quiet",
                "--",
                "sh",
                "-c",
                script)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent ends with its child");
    assertEquals(0, agent.exitValue());
  }

  private static void ship(String app, String script) throws Exception {
    ship(app, "0", "APP", script);
  }

  /** The recent logs of the app through the controller, at least {@code count} of them. */
  private static List<byte[]> awaitRecent(String app, String query, int count) throws Exception {
    List<byte[]> envelopes = List.of();
    for (int i = 0; i < 100 && envelopes.size() < count; i++) {
      HttpResponse<byte[]> r =
          recentLogs(app, query, "bearer " + minter.mint(TokenClaims.forApps(app)));
      assertEquals(200, r.statusCode());
      envelopes =
          MultipartEnvelopes.parse(
              r.body(),
              MultipartEnvelopes.boundaryOf(r.headers().firstValue("Content-Type").get()));
      if (envelopes.size() < count) {
        Thread.sleep(100);
      }
    }
    return envelopes;
  }

  private static HttpResponse<byte[]> recentLogs(String app, String query, String authorization)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + HTTP_PORT + "/apps/" + app + "/recentlogs" + query));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The message of a seed-format line of source APP/0 (what follows {@code APP/0 }). */
  private static String message(String line) {
    int at = line.indexOf("/0 ");
    return at < 0 ? line : line.substring(at + 3);
  }

  private static List<String> messages(String out) {
    return out.lines().map(LogsCliIT::message).toList();
  }

  /** Reads stdout lines until one ends with {@code last}; all of them, as messages. */
  private static List<String> readUntil(InstalledLogs.Running run, String last, List<String> into)
      throws Exception {
    while (into.isEmpty() || !into.get(into.size() - 1).equals(last)) {
      String line = run.nextLine(30);
      assertNotNull(line, "no line after " + into + "; stderr " + run.err);
      into.add(message(line));
    }
    return into;
  }

  @Test
  @Order(1)
  void shouldTailLiveLinesAndExitOnCtrlCWith130() throws Exception {
    String app = app("tail");
    try (InstalledLogs.Running tail = logs.start(env(app), app)) {
      assertEquals("Connected, tailing...", tail.nextLine(60));
      // The controller connects to its doppler in the background: send until a line comes.
      String seen = null;
      for (int i = 0; i < 30 && seen == null; i++) {
        ship(app, "echo live " + i);
        seen = tail.nextLine(2);
      }
      assertNotNull(seen, "a live line came through");
      assertTrue(message(seen).startsWith("live "), seen);
      assertEquals(130, tail.interrupt());
    }
  }

  @Test
  @Order(2)
  void shouldPrintRecentThenLiveEachLineOnceInOrderWhenFollowingTheRecentLogs() throws Exception {
    String app = app("seam");
    ship(app, "for i in 1 2 3; do echo before $i; done");
    awaitRecent(app, "", 3);
    try (InstalledLogs.Running run = logs.start(env(app), app, "--recent", "--follow")) {
      List<String> printed = readUntil(run, "before 3", new ArrayList<>());
      ship(app, "for i in 1 2 3; do echo after $i; done");
      readUntil(run, "after 3", printed);
      ship(app, "echo end"); // anything printed twice would come before it
      readUntil(run, "end", printed);

      assertEquals(
          List.of("before 1", "before 2", "before 3", "after 1", "after 2", "after 3", "end"),
          printed,
          "stderr: " + run.err);
      assertEquals(130, run.interrupt());
      assertTrue(run.err.contains("Connected, tailing..."), "the status line is on stderr");
    }
  }

  @Test
  @Order(3)
  void shouldPrintTheLastNLinesAloneOrThenFollow() throws Exception {
    String app = app("lines");
    ship(app, "for i in 1 2 3 4 5 6 7 8 9 10; do echo line $i; done");
    awaitRecent(app, "", 10);

    InstalledLogs.Result last3 = logs.run(env(app), app, "-n", "3");
    assertEquals(0, last3.status(), last3.err());
    assertEquals(List.of("line 8", "line 9", "line 10"), messages(last3.out()));
    assertEquals("", logs.run(env(app), app, "--lines", "0").out());

    try (InstalledLogs.Running run = logs.start(env(app), app, "--lines", "2", "--follow")) {
      List<String> printed = readUntil(run, "line 10", new ArrayList<>());
      ship(app, "echo line 11");
      assertEquals(List.of("line 9", "line 10", "line 11"), readUntil(run, "line 11", printed));
    }
  }

  @Test
  @Order(4)
  void shouldPrintOnlyWhatCameAfterTheSinceTime() throws Exception {
    String app = app("since");
    ship(app, "echo early");
    awaitRecent(app, "", 1);
    Instant between = Instant.now();
    ship(app, "echo late");
    awaitRecent(app, "", 2);

    assertEquals(
        List.of("late"), messages(logs.run(env(app), app, "--since", between.toString()).out()));
    assertEquals(
        List.of("early", "late"), messages(logs.run(env(app), app, "--since", "1h").out()));
  }

  @Test
  @Order(5)
  void shouldPrintOnlyTheLinesOfTheSourceInstanceAndTypeAsked() throws Exception {
    String app = app("filters");
    ship(app, "echo out0; echo err0 >&2");
    ship(app, "1", "STG", "echo out1");
    awaitRecent(app, "", 3);

    assertEquals(
        List.of("STDERR err0"),
        messages(logs.run(env(app), app, "--recent", "--type", "err").out()));
    assertTrue(
        logs.run(env(app), app, "--recent", "--instance", "1").out().endsWith(" STG/1 out1\n"));
    List<String> app0 = messages(logs.run(env(app), app, "--recent", "--source", "app").out());
    assertEquals(2, app0.size(), "" + app0);
    assertTrue(app0.contains("out0") && app0.contains("STDERR err0"), "" + app0);
    assertEquals(
        3,
        logs.run(env(app), app, "--recent", "--type", "out", "--type", "err")
            .out()
            .lines()
            .count());
  }

  @Test
  @Order(6)
  void shouldShowControlCharactersEscapedAndColourOnlyWhenAsked() throws Exception {
    String app = app("escape");
    ship(
        app,
        "printf 'title \\033]0;pwned\\007 clear \\033[2J\\033[H bell \\007 done\\n'; echo oops >&2");
    awaitRecent(app, "", 2);
    String escaped = "title \\x1b]0;pwned\\x07 clear \\x1b[2J\\x1b[H bell \\x07 done";

    InstalledLogs.Result plain = logs.run(env(app), app, "--recent");
    assertTrue(plain.out().contains(escaped), plain.out());
    assertFalse(plain.out().contains("\u001b") || plain.out().contains("\u0007"), plain.out());

    InstalledLogs.Result coloured = logs.run(env(app), app, "--recent", "--color", "always");
    assertTrue(coloured.out().contains("\u001b[31m"), coloured.out());
    assertTrue(
        coloured
            .out()
            .lines()
            .anyMatch(l -> l.startsWith("\u001b[31m") && l.endsWith("STDERR oops\u001b[0m")));
    assertFalse(
        coloured.out().replace("\u001b[31m", "").replace("\u001b[0m", "").contains("\u001b"));

    InstalledLogs.Result json =
        logs.run(env(app), app, "--recent", "--format", "json", "--color", "always");
    assertTrue(json.out().contains("\\u001b]0;pwned\\u0007"), json.out());
    assertFalse(json.out().contains("\u001b"), "JSON is never coloured");
  }

  @Test
  @Order(7)
  void shouldExitWithTheDocumentedCodes() throws Exception {
    String app = app("codes");
    String endpoint = "http://127.0.0.1:" + HTTP_PORT;
    Map<String, String> noToken = Map.of("LOGS_ENDPOINT", endpoint);
    Map<String, String> otherApp =
        Map.of("LOGS_ENDPOINT", endpoint, "LOGS_TOKEN", minter.mint(TokenClaims.forApps("x")));

    assertEquals(0, logs.run(env(app), app, "--recent").status());
    assertEquals(2, logs.run(env(app), app, "--bogus").status());
    assertEquals(3, logs.run(noToken, app, "--recent").status());
    assertEquals(
        3,
        logs.run(Map.of("LOGS_ENDPOINT", endpoint, "LOGS_TOKEN", "nope"), app, "-n", "1").status());
    assertEquals(4, logs.run(otherApp, app, "--recent").status());
    assertEquals(4, logs.run(otherApp, app).status(), "the tail too");
    assertEquals(
        5, logs.run(env(app), app, "--recent", "--endpoint", endpoint + "/nowhere").status());
    assertEquals(
        6, logs.run(env(app), app, "--recent", "--endpoint", "http://127.0.0.1:1").status());
    InstalledLogs.Result refused = logs.run(noToken, app, "--recent");
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
  }

  @Test
  @Order(8)
  void shouldRefuseHostileRecentLogsParametersAtControllerAndDopplerWithOneSentence()
      throws Exception {
    String app = app("params");
    ship(app, "for i in 1 2 3; do echo p $i; done");
    String bearer = "bearer " + minter.mint(TokenClaims.forApps(app));
    int all = awaitRecent(app, "", 3).size();
    for (String query :
        List.of(
            "?limit=abc",
            "?limit=0",
            "?limit=-1",
            "?limit=10001",
            "?limit=1&limit=1",
            "?limit=%2B1",
            "?limit=",
            "?start_time=-5",
            "?start_time=1.5",
            "?start_time=99999999999999999999",
            "?start_time=1&start_time=2")) {
      HttpResponse<byte[]> r = recentLogs(app, query, bearer);
      String body = new String(r.body()).strip();
      assertEquals(400, r.statusCode(), query + ": " + body);
      assertTrue(body.startsWith("Query parameter ") && !body.contains("\n"), body);
      assertFalse(body.contains("abc") || body.contains("999"), "the value is not repeated");
    }
    assertEquals(401, recentLogs(app, "?limit=abc", null).statusCode(), "credentials first");
    assertEquals(all, awaitRecent(app, "", all).size(), "no parameters: what it always was");
    List<byte[]> two = awaitRecent(app, "?limit=2", 2);
    assertEquals(2, two.size());
    assertEquals("p 3", Envelope.parseFrom(two.get(1)).getLogMessage().getMessage().toStringUtf8());

    RequestSignature signer = new RequestSignature(SECRET);
    String path = "/apps/" + app + "/recentlogs";
    for (String query : List.of("limit=abc", "start_time=-1", "limit=2")) {
      String header =
          signer.header(
              RequestSignature.Request.get(path + "?" + query), System.currentTimeMillis() / 1000);
      RawHttp.Response r =
          RawHttp.request(
              HTTP_PORT,
              "GET",
              "/doppler" + path + "?" + query,
              Map.of(RequestSignature.HEADER, header));
      assertEquals(query.equals("limit=2") ? 200 : 400, r.status(), query + ": " + r.text());
    }
    String unsignedQuery =
        signer.header(RequestSignature.Request.get(path), System.currentTimeMillis() / 1000);
    assertEquals(
        401,
        RawHttp.request(
                HTTP_PORT,
                "GET",
                "/doppler" + path + "?limit=1",
                Map.of(RequestSignature.HEADER, unsignedQuery))
            .status(),
        "the query is signed");
  }
}
