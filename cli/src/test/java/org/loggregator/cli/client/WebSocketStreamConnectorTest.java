package org.loggregator.cli.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.loggregator.cli.CommandException;
import org.loggregator.cli.ExitCode;
import org.loggregator.cli.Vectors;
import org.loggregator.protocol.EnvelopeBatch;

/** The JDK WebSocket client against a minimal RFC 6455 server. */
class WebSocketStreamConnectorTest {
  private TinyWebSocketServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    server = new TinyWebSocketServer();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private WebSocketStreamConnector connector(String authorization) {
    return new WebSocketStreamConnector(
        http, LogEndpoint.parse("http://127.0.0.1:" + server.port()), "my-app", authorization);
  }

  @Test
  void shouldNeverPrintTheCredentialsOfAConnectorOrARecentLogsClient() {
    String secret = "bearer eyJ.secret-token.sig";
    String connector = connector(secret).toString();
    String recent =
        new RecentLogsClient(http, LogEndpoint.parse("http://127.0.0.1:1"), secret).toString();

    assertTrue(connector.contains("my-app") && !connector.contains("secret-token"), connector);
    assertTrue(!recent.contains("secret-token"), recent);
  }

  @Test
  void shouldDeliverEachBinaryMessageWholeAndSkipTextWhenTheServerStreams() throws Exception {
    byte[] envelope = Vectors.envelope("log_out");
    byte[] other = Vectors.envelope("log_err_tags");
    server.then(
        TinyWebSocketServer.accepting(
            frames -> {
              frames.binaryInTwoParts(envelope);
              frames.text("ignored");
              frames.ping();
              frames.binary(other);
              frames.close(1000);
            }));
    List<byte[]> received = new CopyOnWriteArrayList<>();

    StreamTail.Connection connection = connector("bearer t0k").open(received::add);
    connection.start();
    String why = connection.awaitEnd();

    assertEquals("closed by the server (1000)", why);
    assertEquals(2, received.size());
    assertArrayEquals(envelope, received.get(0));
    assertArrayEquals(other, received.get(1));
    TinyWebSocketServer.Handshake handshake = server.handshakes.get(0);
    assertEquals("/apps/my-app/stream", handshake.path());
    assertEquals("bearer t0k", handshake.headers().get("authorization"));
    assertEquals(EnvelopeBatch.SUBPROTOCOL, handshake.headers().get("sec-websocket-protocol"));
  }

  @Test
  void shouldHandOnEachEnvelopeOfABatchWhenTheControllerAgreesToBatches() throws Exception {
    List<byte[]> envelopes =
        List.of(
            Vectors.envelope("log_out"),
            Vectors.envelope("log_err_tags"),
            Vectors.envelope("value_metric"));
    server.then(
        TinyWebSocketServer.acceptingWith(
            EnvelopeBatch.SUBPROTOCOL,
            frames -> {
              frames.binary(batch(envelopes.subList(0, 2)));
              frames.binaryInTwoParts(batch(envelopes.subList(2, 3)));
              frames.close(1000);
            }));
    List<byte[]> received = new CopyOnWriteArrayList<>();

    StreamTail.Connection connection = connector(null).open(received::add);
    connection.start();

    assertEquals("closed by the server (1000)", connection.awaitEnd());
    assertEquals(3, received.size());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(envelopes.get(i), received.get(i), "envelope " + i);
    }
  }

  @Test
  void shouldDropTheConnectionKeepingWhatCameBeforeWhenABatchIsMalformed() throws Exception {
    byte[] envelope = Vectors.envelope("log_out");
    byte[] good = batch(List.of(envelope));
    byte[] cut = new byte[good.length + 2];
    System.arraycopy(good, 0, cut, 0, good.length);
    cut[good.length] = 0x0A;
    cut[good.length + 1] = 0x7F; // claims 127 bytes, has none
    server.then(
        TinyWebSocketServer.acceptingWith(
            EnvelopeBatch.SUBPROTOCOL,
            frames -> {
              frames.binary(cut);
              Thread.sleep(5_000);
            }));
    List<byte[]> received = new CopyOnWriteArrayList<>();

    StreamTail.Connection connection = connector(null).open(received::add);
    connection.start();

    assertEquals(
        "dropped (Envelope batch is malformed at byte " + good.length + ": it claims 127 bytes.)",
        connection.awaitEnd());
    assertEquals(1, received.size());
    assertArrayEquals(envelope, received.get(0));
  }

  private static byte[] batch(List<byte[]> envelopes) {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    envelopes.forEach(e -> EnvelopeBatch.append(buffer, e));
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  @ParameterizedTest
  @CsvSource({"401, UNAUTHORIZED", "403, FORBIDDEN", "404, NOT_FOUND", "502, UNEXPECTED"})
  void shouldFailWithTheExitCodeOfTheStatusWhenTheHandshakeIsRefused(int status, ExitCode code) {
    server.then(TinyWebSocketServer.rejecting(status));

    CommandException e =
        assertThrows(CommandException.class, () -> connector("bearer x").open(bytes -> {}));

    assertEquals(code, e.exitCode());
    assertTrue(e.getMessage().endsWith("."), e.getMessage());
  }

  @Test
  void shouldSendNoAuthorizationWhenThereIsNoToken() throws Exception {
    server.then(TinyWebSocketServer.accepting(frames -> frames.close(1000)));

    StreamTail.Connection connection = connector(null).open(bytes -> {});
    connection.start();
    connection.awaitEnd();

    assertTrue(!server.handshakes.get(0).headers().containsKey("authorization"));
  }

  @Test
  void shouldEndTheConnectionWhenClosedByTheClient() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    server.then(TinyWebSocketServer.accepting(frames -> hold.await()));
    StreamTail.Connection connection = connector("bearer x").open(bytes -> {});

    connection.close();
    String why = connection.awaitEnd();
    hold.countDown();

    assertTrue(why.startsWith("closed"), why);
  }
}
