package org.loggregator.edge;

import jakarta.websocket.CloseReason;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.util.concurrent.Executor;
import org.loggregator.sink.ConnectionLiveness;
import org.loggregator.sink.SinkCounters;
import org.loggregator.sink.Subscriber;

/**
 * What every subscriber endpoint does with its WebSocket session: one {@link Subscriber} per
 * connection, kept in the session, watched by the liveness check until it closes.
 */
public final class WebSocketSubscriptions {
  private static final String SUBSCRIBER = "loggregator.subscriber";

  private WebSocketSubscriptions() {}

  /** The settings every subscriber of a component shares. */
  public record Settings(
      int queueCapacity,
      Executor writers,
      SinkCounters counters,
      String origin,
      ConnectionLiveness<Session> liveness) {}

  /**
   * Creates the connection's subscriber and registers it for liveness checks.
   *
   * @param appId the app whose stream it is, or null for the firehose
   */
  public static Subscriber open(
      Settings settings, Session session, String appId, String description) {
    Subscriber subscriber =
        new Subscriber(
            settings.queueCapacity(),
            new WebSocketTransport(session, description),
            settings.writers(),
            settings.counters(),
            appId,
            settings.origin());
    session.getUserProperties().put(SUBSCRIBER, subscriber);
    session.addMessageHandler(
        PongMessage.class,
        (MessageHandler.Whole<PongMessage>) pong -> settings.liveness().pong(session));
    settings.liveness().register(session, subscriber);
    return subscriber;
  }

  /** The connection's subscriber, closed and unregistered; null if it never opened. */
  public static Subscriber close(Settings settings, Session session, CloseReason reason) {
    settings.liveness().unregister(session);
    Subscriber subscriber = (Subscriber) session.getUserProperties().get(SUBSCRIBER);
    if (subscriber != null) {
      subscriber.close(reason.getCloseCode().getCode(), reason.getReasonPhrase());
    }
    return subscriber;
  }

  /** How a subscriber appears in notices: its kind and session id, never credentials. */
  public static String describe(String kind, Session session) {
    return kind + " subscriber " + session.getId();
  }
}
