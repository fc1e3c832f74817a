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
import org.loggregator.config.DopplerAddress;
import org.loggregator.controller.proxy.Upstream;
import org.loggregator.controller.proxy.UpstreamConnector;
import org.loggregator.protocol.RequestSignature;

/** Opens signed WebSocket connections to dopplers with the server's WebSocket client. */
public final class WebSocketUpstreamConnector implements UpstreamConnector {
  private static final int MAX_ENVELOPE = 1 << 17;

  private final WebSocketContainer container;
  private final RequestSignature signature;

  public WebSocketUpstreamConnector(RequestSignature signature) {
    this.container = ContainerProvider.getWebSocketContainer();
    this.container.setDefaultMaxBinaryMessageBufferSize(MAX_ENVELOPE);
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
    String signedPath =
        uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    ClientEndpointConfig config =
        ClientEndpointConfig.Builder.create()
            .configurator(
                new ClientEndpointConfig.Configurator() {
                  @Override
                  public void beforeRequest(Map<String, List<String>> headers) {
                    headers.put(
                        RequestSignature.HEADER,
                        List.of(signature.header(signedPath, System.currentTimeMillis() / 1000)));
                  }
                })
            .build();
    AtomicBoolean closedByUs = new AtomicBoolean();
    Endpoint endpoint =
        new Endpoint() {
          @Override
          public void onOpen(Session session, EndpointConfig endpointConfig) {
            session.setMaxBinaryMessageBufferSize(MAX_ENVELOPE);
            // As byte[], the container copies each message out of its buffers once, into an
            // array of its own that is then ours (as ByteBuffer it copies it twice).
            session.addMessageHandler(
                byte[].class, (MessageHandler.Whole<byte[]>) onEnvelope::accept);
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
}
