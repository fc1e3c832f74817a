package org.loggregator.doppler.web;

import jakarta.websocket.CloseReason;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import org.loggregator.doppler.lifecycle.Doppler;
import org.loggregator.sink.Subscriber;

/** What the stream and firehose endpoints share: one {@link Subscriber} per connection. */
abstract class SubscriberEndpoint {
  private static final String SUBSCRIBER = "loggregator.subscriber";

  /** Creates the connection's subscriber and registers it for liveness checks. */
  static Subscriber open(Doppler doppler, Session session, String appId, String description) {
    Subscriber subscriber =
        new Subscriber(
            doppler.config().subscriberQueue(),
            new WebSocketTransport(session, description),
            doppler.writers(),
            doppler.sinkCounters(),
            appId,
            Doppler.ORIGIN);
    session.getUserProperties().put(SUBSCRIBER, subscriber);
    session.addMessageHandler(
        PongMessage.class,
        (MessageHandler.Whole<PongMessage>) pong -> doppler.liveness().pong(session));
    doppler.liveness().register(session, subscriber);
    return subscriber;
  }

  /** The connection's subscriber, closed and unregistered; null if it never opened. */
  static Subscriber close(Doppler doppler, Session session, CloseReason reason) {
    doppler.liveness().unregister(session);
    Subscriber subscriber = (Subscriber) session.getUserProperties().get(SUBSCRIBER);
    if (subscriber != null) {
      subscriber.close(reason.getCloseCode().getCode(), reason.getReasonPhrase());
    }
    return subscriber;
  }

  static String describe(String kind, Session session) {
    return kind + " subscriber " + session.getId();
  }
}
