package org.loggregator.access;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Objects;
import org.loggregator.protocol.EnvelopeBatch;

/**
 * A WebSocket route that streams log data, as data: the entry of the application's route table it
 * serves (its path, the credential it needs, and whether its id is the path parameter or a query
 * parameter), the subprotocols it offers, and what the application's feed {@code F} does when a
 * session the guard admitted opens and when any session closes. Each is served by a {@link
 * GuardedStreamEndpoint}, which asks the guard first; {@link StreamEndpoints} registers them.
 *
 * @param route the route table's entry; a WebSocket route
 * @param subprotocols offered to the client, which gets the first of its own list that is offered
 * @param open what the feed opens for a session the guard admitted, with the id it serves
 * @param close what the feed closes when a session closes, admitted or not
 */
public record StreamRoute<F>(
    Route route, List<String> subprotocols, Opener<F> open, Closer<F> close) {

  /** Opens what a session the guard admitted is served of {@code id}. */
  @FunctionalInterface
  public interface Opener<F> {
    void open(F feed, Session session, String id);
  }

  /**
   * Closes what a session opened; for every session of the route, whether it was admitted or not.
   */
  @FunctionalInterface
  public interface Closer<F> {
    void close(F feed, Session session, CloseReason reason, String id);
  }

  public StreamRoute {
    if (!route.webSocket()) {
      throw new IllegalArgumentException("A stream is a WebSocket route: " + route.template());
    }
    subprotocols = List.copyOf(subprotocols);
    Objects.requireNonNull(open, "open");
    Objects.requireNonNull(close, "close");
  }

  /** A stream that sends a burst's envelopes in one message to a client that asks for batches. */
  public static <F> StreamRoute<F> batched(Route route, Opener<F> open, Closer<F> close) {
    return new StreamRoute<>(route, List.of(EnvelopeBatch.SUBPROTOCOL), open, close);
  }

  /** A stream that sends one envelope per message and negotiates no subprotocol. */
  public static <F> StreamRoute<F> unbatched(Route route, Opener<F> open, Closer<F> close) {
    return new StreamRoute<>(route, List.of(), open, close);
  }

  /**
   * The id a session of this route is served: its path parameter, or the one value of its query
   * parameter (null when that is absent or repeated, which the guard refuses).
   */
  String id(Session session) {
    if (route.queryId() != null) {
      return AccessGuard.onlyValue(session.getRequestParameterMap().get(route.queryId()));
    }
    String parameter = route.pathParameter();
    return parameter == null ? null : session.getPathParameters().get(parameter);
  }

  /**
   * How the container serves this route, fed by {@code feed}: at the route's path, offering its
   * subprotocols, with a {@link HandshakeCapture} that hands out a guarded endpoint per connection.
   */
  ServerEndpointConfig config(F feed) {
    return ServerEndpointConfig.Builder.create(GuardedStreamEndpoint.class, route.template())
        .subprotocols(subprotocols)
        .configurator(new GuardedStreamEndpoint.Configurator<>(this, feed))
        .build();
  }
}
