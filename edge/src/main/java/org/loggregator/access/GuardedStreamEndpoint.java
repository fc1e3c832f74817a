package org.loggregator.access;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;

/**
 * The WebSocket endpoint of every {@link StreamRoute}, one per connection: when a session opens, it
 * asks the application's {@link AccessGuard} about the id the route serves it, before anything
 * else, and only a session the guard admitted is opened by the route's feed (a refused one the
 * guard has closed); when a session closes, the feed closes what it opened and the session's place
 * under the caps is given back. Errors need nothing: the container closes the session next.
 */
public final class GuardedStreamEndpoint<F> extends Endpoint {
  private final AccessGuard guard;
  private final StreamRoute<F> stream;
  private final F feed;

  GuardedStreamEndpoint(AccessGuard guard, StreamRoute<F> stream, F feed) {
    this.guard = guard;
    this.stream = stream;
    this.feed = feed;
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    String id = stream.id(session);
    if (guard.open(session, stream.route(), id)) {
      stream.open().open(feed, session, id);
    }
  }

  @Override
  public void onClose(Session session, CloseReason reason) {
    stream.close().close(feed, session, reason, stream.id(session));
    guard.close(session);
  }

  /**
   * The configurator of one stream route: captures each handshake as every guarded endpoint's does,
   * and hands out the route's endpoint, with the application's guard, for each connection.
   */
  static final class Configurator<F> extends HandshakeCapture {
    private final StreamRoute<F> stream;
    private final F feed;

    Configurator(StreamRoute<F> stream, F feed) {
      this.stream = stream;
      this.feed = feed;
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
      AccessGuard guard = HandshakeCapture.guard();
      if (guard == null) {
        throw new InstantiationException(
            "The application is not serving: not started, or stopping.");
      }
      return endpointClass.cast(new GuardedStreamEndpoint<>(guard, stream, feed));
    }
  }
}
