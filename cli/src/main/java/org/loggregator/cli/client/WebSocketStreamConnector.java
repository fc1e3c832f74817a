package org.loggregator.cli.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.loggregator.cli.CommandException;
import org.loggregator.protocol.EnvelopeBatch;

/**
 * Opens {@code /apps/{appId}/stream} with the JDK WebSocket client, asking for {@link EnvelopeBatch
 * batches}: a binary message is a batch of envelopes when the controller agreed, else one envelope;
 * text messages are ignored; pings are answered by the JDK. Stateless between connections; each
 * connection's listener runs on the client's threads, one message at a time.
 *
 * <p>A connection that hears nothing at all (no message, no ping) for {@link #SILENCE_LIMIT} is
 * taken for dead and dropped: the server pings at least every 30 s.
 *
 * @param authorization the Authorization header value ({@code bearer …}), or null to send none
 */
public record WebSocketStreamConnector(
    HttpClient http, LogEndpoint endpoint, String appId, String authorization)
    implements StreamTail.Connector {
  /** How long a connection may be silent before it is dropped. */
  public static final Duration SILENCE_LIMIT = Duration.ofSeconds(120);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

  /** Names the endpoint and the app, never the credentials. */
  @Override
  public String toString() {
    return "WebSocketStreamConnector[" + endpoint + ", app " + appId + "]";
  }

  @Override
  public StreamTail.Connection open(Consumer<byte[]> envelopes)
      throws CommandException, InterruptedException {
    EnvelopeListener listener = new EnvelopeListener(envelopes);
    WebSocket.Builder builder =
        http.newWebSocketBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .subprotocols(EnvelopeBatch.SUBPROTOCOL);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    URI uri = endpoint.stream(appId);
    try {
      WebSocket socket = builder.buildAsync(uri, listener).get();
      return new Connection(socket, listener);
    } catch (ExecutionException e) {
      Throwable cause = Failures.unwrap(e);
      Failures failures = new Failures(endpoint, appId, authorization != null);
      if (cause instanceof WebSocketHandshakeException handshake) {
        throw failures.status(handshake.getResponse().statusCode(), "the WebSocket " + uri);
      }
      throw failures.io(cause);
    }
  }

  /** Receives one connection's frames on the client's threads, one at a time. */
  private static final class EnvelopeListener implements WebSocket.Listener {
    private final Consumer<byte[]> envelopes;
    private final MessageAssembler assembler = new MessageAssembler();
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private volatile long lastHeard = System.nanoTime();
    private boolean batched;

    EnvelopeListener(Consumer<byte[]> envelopes) {
      this.envelopes = envelopes;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      batched = EnvelopeBatch.SUBPROTOCOL.equals(webSocket.getSubprotocol());
      // no demand yet: Connection.start() asks for the first message
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      lastHeard = System.nanoTime();
      byte[] message = assembler.append(data, last);
      if (message != null && batched) {
        try {
          EnvelopeBatch.split(message, envelopes);
        } catch (IllegalArgumentException e) {
          ended.complete("dropped (" + e.getMessage() + ")");
          webSocket.abort();
          return null;
        }
      } else if (message != null) {
        envelopes.accept(message);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      lastHeard = System.nanoTime();
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
      lastHeard = System.nanoTime();
      webSocket.request(1);
      return null; // the JDK answers with a pong
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      lastHeard = System.nanoTime();
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      ended.complete("closed by the server (" + statusCode + ")");
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      ended.complete("dropped (" + Failures.describe(error) + ")");
    }
  }

  private record Connection(WebSocket socket, EnvelopeListener listener)
      implements StreamTail.Connection {
    @Override
    public void start() {
      socket.request(1);
    }

    @Override
    public String awaitEnd() throws InterruptedException {
      while (true) {
        try {
          return listener.ended.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          if (System.nanoTime() - listener.lastHeard > SILENCE_LIMIT.toNanos()) {
            socket.abort();
            return "silent for " + SILENCE_LIMIT.toSeconds() + " s";
          }
        } catch (ExecutionException e) {
          return "failed"; // never: the future is only ever completed normally
        }
      }
    }

    @Override
    public void close() {
      try {
        socket
            .sendClose(WebSocket.NORMAL_CLOSURE, "")
            .get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        listener.ended.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // the server did not answer the close in time: abort below
      } finally {
        socket.abort();
        listener.ended.complete("closed");
      }
    }
  }
}
