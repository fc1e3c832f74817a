package org.loggregator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.loggregator.protocol.MultipartEnvelopes;
import org.loggregator.protocol.TestEnvelopes;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

/** {@code logs APP --recent} against a JDK HTTP server playing the traffic controller. */
class RecentLogsCommandTest {
  private static final String APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";
  private static final long T0 = 1_380_838_166_000_000_000L; // 2013-10-03T22:09:26Z

  private HttpServer server;
  private String endpoint;
  private final AtomicReference<String> authorization = new AtomicReference<>();
  private final AtomicReference<String> path = new AtomicReference<>();
  private final AtomicReference<String> query = new AtomicReference<>();
  private volatile int status = 200;
  private volatile byte[] body = new byte[0];
  private volatile String contentType = "multipart/x-protobuf; boundary=b0undary";

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
          path.set(exchange.getRequestURI().getRawPath());
          query.set(exchange.getRequestURI().getRawQuery());
          exchange.getResponseHeaders().set("Content-Type", contentType);
          exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private static byte[] log(String text, long timestamp, LogMessage.MessageType type) {
    Envelope.Builder envelope = TestEnvelopes.log(APP, text, timestamp);
    envelope.getLogMessageBuilder().setMessageType(type).setSourceType("App");
    return TestEnvelopes.bytes(envelope);
  }

  private static byte[] metric() {
    return TestEnvelopes.bytes(TestEnvelopes.valueMetric("cpu", 1, "%"));
  }

  private Run recent(String... extra) {
    String[] args = new String[4 + extra.length];
    args[0] = APP;
    args[1] = "--recent";
    args[2] = "--tz=America/Los_Angeles";
    args[3] = "--endpoint=" + endpoint;
    System.arraycopy(extra, 0, args, 4, extra.length);
    return Run.of(Map.of("LOGS_TOKEN", "tok3n"), null, args);
  }

  @Test
  void shouldPrintTheRecentLogsSortedByTimeWhenTheServerSendsThemOutOfOrder() {
    body =
        MultipartEnvelopes.toBytes(
            List.of(
                log("third", T0 + 3_000_000_000L, LogMessage.MessageType.OUT),
                log("first", T0, LogMessage.MessageType.ERR),
                metric(),
                log("second\nsecond, line 2\n", T0 + 1_000_000_000L, LogMessage.MessageType.OUT)),
            "b0undary");

    Run run = recent();

    assertEquals(0, run.status(), run.err());
    assertEquals(
        "Oct 3 15:09:26 "
            + APP
            + " App/0 STDERR first\n"
            + "Oct 3 15:09:27 "
            + APP
            + " App/0 second\n"
            + "Oct 3 15:09:27 "
            + APP
            + " App/0 second, line 2\n"
            + "Oct 3 15:09:29 "
            + APP
            + " App/0 third\n",
        run.out());
    assertEquals("", run.err());
    assertEquals("/apps/" + APP + "/recentlogs", path.get());
    assertEquals("bearer tok3n", authorization.get());
  }

  @Test
  void shouldPrintInTheAskedFormatWhenGivenOne() {
    body =
        MultipartEnvelopes.toBytes(List.of(log("hi", T0, LogMessage.MessageType.OUT)), "b0undary");

    Run run = recent("--format", "modern", "--token", "bearer other");

    assertEquals(0, run.status(), run.err());
    assertEquals("2013-10-03T15:09:26.00-0700 [APP/0] OUT hi\n", run.out());
    assertEquals("bearer other", authorization.get());
  }

  @Test
  void shouldPrintNothingAndSucceedWhenTheBufferIsEmpty() {
    body = MultipartEnvelopes.toBytes(List.of(), "b0undary");

    Run run = recent();

    assertEquals(0, run.status(), run.err());
    assertEquals("", run.out());
  }

  @ParameterizedTest
  @CsvSource({
    "401, 3, The token was refused (401): log in again or mint a new one with `logs token --app",
    "403, 4, The token may not read the logs of app",
    "404, 5, Not found (404)",
    "500, 1, answered HTTP 500"
  })
  void shouldExitWithTheDocumentedCodeAndOneSentenceWhenTheServerRefuses(
      int httpStatus, int exitCode, String sentence) {
    status = httpStatus;
    contentType = "text/plain";

    Run run = recent();

    assertEquals(exitCode, run.status(), run.err());
    assertTrue(run.err().contains(sentence), run.err());
    assertTrue(run.errIsOneSentence(), run.err());
    assertEquals("", run.out());
  }

  @Test
  void shouldSayNoTokenWasGivenWhenRefusedWithoutOne() {
    status = 401;

    Run run = Run.of(APP, "--recent", "--endpoint", endpoint);

    assertEquals(3, run.status());
    assertTrue(run.err().contains("No token was given"), run.err());
    assertEquals(null, authorization.get());
  }

  @Test
  void shouldExitWithUnexpectedWhenTheAnswerIsNotMultipart() {
    contentType = "text/html";
    body = "<html>hello</html>".getBytes();

    Run run = recent();

    assertEquals(1, run.status());
    assertTrue(run.err().contains("not multipart/x-protobuf"), run.err());
  }

  @Test
  void shouldExitSixNamingTheEndpointWhenNothingListens() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    Run run = Run.of(APP, "--recent", "--endpoint", "http://127.0.0.1:" + port);

    assertEquals(6, run.status(), run.err());
    assertEquals(
        "Cannot reach the log endpoint http://127.0.0.1:"
            + port
            + ": connection refused. Check --endpoint or LOGS_ENDPOINT.",
        run.err().strip());
  }

  private static byte[] log(String text, long timestamp, String source, String instance) {
    Envelope.Builder envelope = TestEnvelopes.log(APP, text, timestamp);
    envelope.getLogMessageBuilder().setSourceType(source).setSourceInstance(instance);
    return TestEnvelopes.bytes(envelope);
  }

  @Test
  void shouldAskTheServerForTheLastNAndPrintThemWhenGivenLines() {
    body =
        MultipartEnvelopes.toBytes(
            List.of(log("nine", T0, LogMessage.MessageType.OUT)), "b0undary");

    Run run = Run.of(Map.of("LOGS_TOKEN", "t"), null, APP, "-n", "1", "--endpoint=" + endpoint);

    assertEquals(0, run.status(), run.err());
    assertEquals("limit=1", query.get());
    assertTrue(run.out().endsWith(" App/0 nine\n"), run.out());
  }

  @Test
  void shouldAskFromTheStartTimeWhenGivenSince() {
    body = MultipartEnvelopes.toBytes(List.of(), "b0undary");

    Run run = Run.of(APP, "--since", "2013-10-03T22:09:26.5Z", "-n", "7", "--endpoint=" + endpoint);

    assertEquals(0, run.status(), run.err());
    assertEquals("start_time=" + (T0 + 500_000_000L) + "&limit=7", query.get());
  }

  @Test
  void shouldAskForEverythingAndKeepTheLastMatchingLinesWhenFiltering() {
    body =
        MultipartEnvelopes.toBytes(
            List.of(
                log("app0", T0, "APP", "0"),
                log("rtr", T0 + 1, "RTR", "0"),
                log("app1", T0 + 2, "APP", "1"),
                log("app0 again", T0 + 3, "App", "0"),
                log("app0 last", T0 + 4, "APP", "0")),
            "b0undary");

    Run run = recent("--source", "app", "--instance", "0", "--lines", "2");

    assertEquals(0, run.status(), run.err());
    assertEquals(null, query.get(), "no limit: the server cannot filter");
    assertEquals(2, run.out().lines().count(), run.out());
    assertTrue(run.out().contains(" App/0 app0 again\n"), run.out());
    assertTrue(run.out().endsWith(" APP/0 app0 last\n"), run.out());
  }

  @Test
  void shouldPrintOnlyStderrLinesWhenTheTypeIsErr() {
    body =
        MultipartEnvelopes.toBytes(
            List.of(
                log("out", T0, LogMessage.MessageType.OUT),
                log("err", T0 + 1, LogMessage.MessageType.ERR)),
            "b0undary");

    Run run = recent("--type", "err");

    assertEquals("Oct 3 15:09:26 " + APP + " App/0 STDERR err\n", run.out());
  }

  @Test
  void shouldColourStderrRedWhenColourIsAlwaysAndShowTheLinesOwnEscapes() {
    body =
        MultipartEnvelopes.toBytes(
            List.of(
                log("plain", T0, LogMessage.MessageType.OUT),
                log("\u001b]0;pwned\u0007\u001b[2Jboom", T0, LogMessage.MessageType.ERR)),
            "b0undary");

    Run run = recent("--color", "always");

    assertEquals(
        "Oct 3 15:09:26 "
            + APP
            + " App/0 plain\n"
            + "\u001b[31mOct 3 15:09:26 "
            + APP
            + " App/0 STDERR \\x1b]0;pwned\\x07\\x1b[2Jboom\u001b[0m\n",
        run.out());
    assertEquals(
        "Oct 3 15:09:26 "
            + APP
            + " App/0 plain\n"
            + "Oct 3 15:09:26 "
            + APP
            + " App/0 STDERR \\x1b]0;pwned\\x07\\x1b[2Jboom\n",
        recent().out(),
        "no colour where stdout is not a terminal");
  }

  @Test
  void shouldPrintNothingAndAskNothingWhenZeroLinesAreAsked() {
    Run run = recent("-n", "0");

    assertEquals(0, run.status(), run.err());
    assertEquals("", run.out());
    assertEquals(null, path.get());
  }
}
