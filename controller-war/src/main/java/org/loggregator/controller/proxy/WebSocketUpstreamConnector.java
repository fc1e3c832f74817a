package org.loggregator.controller.proxy;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.loggregator.config.DopplerAddress;
import org.loggregator.protocol.EnvelopeBatch;
import org.loggregator.protocol.RequestSignature;

/**
 * Opens signed WebSocket connections to dopplers with the server's WebSocket client, asking for
 * {@link EnvelopeBatch batches}: a doppler that agrees sends the envelopes of a burst in one
 * message, which saves a message's work on both sides for every envelope but the first. A doppler
 * that does not offer batches sends one envelope per message, and that works as well.
 */
public final class WebSocketUpstreamConnector implements UpstreamConnector {
  private static final Logger LOG = Logger.getLogger(WebSocketUpstreamConnector.class.getName());

  /** The largest message taken: a full batch, or one envelope of up to a UDP datagram's size. */
  private static final int MAX_MESSAGE = 1 << 17;

  /**
   * How long a connection may stay silent: dopplers ping every 30 s at most, so this is two pings
   * missed, after which the connection is dropped and the zone retried.
   */
  private static final long IDLE_TIMEOUT_MILLIS = 75_000;

  private final WebSocketContainer container;
  private final RequestSignature signature;
  private final Executor handshakes;
  private final Duration connectTimeout;

  /**
   * @param handshakes runs the container's blocking connects; bounded, so that connects the
   *     container never ends cannot take every thread
   * @param connectTimeout how long a connection and its handshake may take before the attempt is
   *     given up (a connection that completes later is closed at once)
   */
  public WebSocketUpstreamConnector(
      RequestSignature signature, Executor handshakes, Duration connectTimeout) {
    this.container = ContainerProvider.getWebSocketContainer();
    this.container.setDefaultMaxBinaryMessageBufferSize(MAX_MESSAGE);
    this.container.setAsyncSendTimeout(30_000);
    this.signature = signature;
    this.handshakes = handshakes;
    this.connectTimeout = connectTimeout;
  }

  @Override
  public Upstream connect(
      DopplerAddress doppler, String path, Consumer<byte[]> onEnvelope, Runnable onLost)
      throws IOException {
    URI base = doppler.baseUrl();
    String scheme = "https".equals(base.getScheme()) ? "wss" : "ws";
    URI uri = URI.create(scheme + base.toString().substring(base.getScheme().length()) + path);
    // Signed as the doppler checks it: the path after its base URL, and the subprotocol asked.
    RequestSignature.Request signed =
        RequestSignature.Request.get(path).withSubprotocols(EnvelopeBatch.SUBPROTOCOL);
    ClientEndpointConfig config =
        ClientEndpointConfig.Builder.create()
            .preferredSubprotocols(List.of(EnvelopeBatch.SUBPROTOCOL))
            .configurator(
                new ClientEndpointConfig.Configurator() {
                  @Override
                  public void beforeRequest(Map<String, List<String>> headers) {
                    headers.put(
                        RequestSignature.HEADER,
                        List.of(signature.header(signed, System.currentTimeMillis() / 1000)));
                  }
                })
            .build();
    AtomicBoolean closedByUs = new AtomicBoolean();
    Endpoint endpoint =
        new Endpoint() {
          @Override
          public void onOpen(Session session, EndpointConfig endpointConfig) {
            session.setMaxBinaryMessageBufferSize(MAX_MESSAGE);
            session.setMaxIdleTimeout(IDLE_TIMEOUT_MILLIS);
            // As byte[], the container copies each message out of its buffers once, into an
            // array of its own that is then ours (as ByteBuffer it copies it twice).
            MessageHandler.Whole<byte[]> handler =
                EnvelopeBatch.SUBPROTOCOL.equals(session.getNegotiatedSubprotocol())
                    ? batch -> split(batch, onEnvelope, session, uri)
                    : onEnvelope::accept;
            session.addMessageHandler(byte[].class, handler);
          }

          @Override
          public void onClose(Session session, CloseReason reason) {
            if (!closedByUs.get()) {
              onLost.run();
            }
          }
        };
    CompletableFuture<Session> attempt;
    try {
      attempt =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return container.connectToServer(endpoint, config, uri);
                } catch (DeploymentException | IOException e) {
                  throw new CompletionException(e);
                }
              },
              handshakes);
    } catch (RejectedExecutionException e) {
      throw new IOException("too many connections to dopplers are still being made");
    }
    Session session;
    try {
      session = attempt.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      closedByUs.set(true);
      attempt.thenAccept(WebSocketUpstreamConnector::closeQuietly);
      throw new IOException(
          "did not complete the connection within " + connectTimeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
      throw new IOException(cause == null ? "connection failed" : cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closedByUs.set(true);
      attempt.thenAccept(WebSocketUpstreamConnector::closeQuietly);
      throw new IOException("interrupted while connecting");
    }
    return () -> {
      if (closedByUs.compareAndSet(false, true)) {
        try {
          session.close();
        } catch (IOException | RuntimeException e) {
          // gone already
        }
      }
    };
  }

  private static void closeQuietly(Session late) {
    try {
      late.close();
    } catch (IOException | RuntimeException e) {
      // gone already
    }
  }

  /**
   * Hands on each envelope of a batch. A malformed batch means the two sides disagree on the
   * format: what came before the fault is kept, and the connection is closed, so the zone is
   * retried and the client told.
   */
  private static void split(byte[] batch, Consumer<byte[]> onEnvelope, Session session, URI uri) {
    try {
      EnvelopeBatch.split(batch, onEnvelope);
    } catch (IllegalArgumentException e) {
      LOG.warning("Closing the connection to " + uri + ": " + e.getMessage());
      try {
        session.close(new CloseReason(CloseReason.CloseCodes.NOT_CONSISTENT, "Malformed batch."));
      } catch (IOException | RuntimeException closing) {
        // gone already
      }
    }
  }
}
