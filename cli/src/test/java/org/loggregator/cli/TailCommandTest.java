package org.loggregator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code logs APP} end to end against a minimal WebSocket server: it connects, prints, loses the
 * connection, says so, reconnects, and ends on a refused token. (One real backoff of about 1 s.)
 */
class TailCommandTest {

  @Test
  void shouldPrintLinesReconnectAndExitThreeWhenTheTokenIsLaterRefused() throws Exception {
    try (var server = new org.loggregator.cli.client.TailServer()) {
      server.acceptThenClose(Vectors.envelope("log_out"), Vectors.envelope("value_metric"));
      server.reject(401);

      Run run =
          Run.of(
              Map.of("LOGS_TOKEN", "t"),
              null,
              "private-app",
              "--endpoint",
              "http://127.0.0.1:" + server.port(),
              "--tz",
              "America/Los_Angeles");

      assertEquals(3, run.status(), run.err());
      assertEquals(
          "Connected, tailing...\n"
              + "Oct 3 15:09:26 private-app App/0 This message is on stdout at 2013-10-03"
              + " 22:09:26 +0000 for private-app instance 0\n",
          run.out());
      String[] err = run.err().strip().split("\n");
      assertEquals(2, err.length, run.err());
      assertTrue(err[0].matches("Connection lost; reconnecting in 1s\\.\\.\\."), err[0]);
      assertTrue(err[1].startsWith("The token was refused (401)"), err[1]);
    }
  }

  @Test
  void shouldKeepStdoutPureJsonWhenTheFormatIsJson() throws Exception {
    try (var server = new org.loggregator.cli.client.TailServer()) {
      server.acceptThenClose(Vectors.envelope("log_err_tags"));
      server.reject(403);

      Run run =
          Run.of(
              Map.of("LOGS_FORMAT", "json"),
              null,
              "private-app",
              "--endpoint",
              "ws://127.0.0.1:" + server.port());

      assertEquals(4, run.status(), run.err());
      assertTrue(
          run.out().startsWith("{\"timestamp\":\"2013-10-03T22:09:26.123456789Z\""), run.out());
      assertEquals(1, run.out().lines().count(), run.out());
      assertTrue(run.err().startsWith("Connected, tailing...\n"), run.err());
    }
  }

  @Test
  void shouldExitSixAtOnceWhenTheFirstConnectFindsNoServer() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    Run run = Run.of("app", "--endpoint", "http://127.0.0.1:" + port);

    assertEquals(6, run.status(), run.err());
    assertEquals("", run.out());
    assertEquals(
        "Cannot reach the log endpoint http://127.0.0.1:"
            + port
            + ": connection refused. Check --endpoint or LOGS_ENDPOINT.",
        run.err().strip());
  }

  @Test
  void shouldExitFourWithoutConnectingWhenTheTokenMayNotReadTheApp() throws Exception {
    try (var server = new org.loggregator.cli.client.TailServer()) {
      server.reject(403);

      Run run = Run.of("app", "--endpoint", "http://127.0.0.1:" + server.port(), "--token", "t");

      assertEquals(4, run.status(), run.err());
      assertEquals("", run.out());
      assertTrue(run.errIsOneSentence(), run.err());
    }
  }
}
