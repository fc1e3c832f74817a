package org.loggregator.controller.web;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.loggregator.config.DopplerAddress;
import org.loggregator.controller.proxy.Upstream;
import org.loggregator.controller.proxy.UpstreamConnector;
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

  private final WebSocketContainer container;
  private final RequestSignature signature;

  public WebSocketUpstreamConnector(RequestSignature signature) {
    this.container = ContainerProvider.getWebSocketContainer();
    this.container.setDefaultMaxBinaryMessageBufferSize(MAX_MESSAGE);
    this.container.setAsyncSendTimeout(30_000);
    this.signature = signature;
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
    Session session;
    try {
      session = container.connectToServer(endpoint, config, uri);
    } catch (DeploymentException e) {
      throw new IOException(e.getMessage(), e);
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
