package org.loggregator.doppler.web;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.loggregator.doppler.routing.EnvelopeRouter;
import org.loggregator.edge.WebSocketSubscriptions;
import org.loggregator.sink.Subscriber;

/**
 * What a doppler WebSocket is fed from the router: one app's stream, keyed by app id, or a firehose
 * subscription, keyed by subscription id. Opens a connection's subscriber and registers it, then
 * unregisters it when the connection closes; asking the guard stays with the endpoint.
 */
enum RouterFeed {
  STREAM("stream", true),
  FIREHOSE("firehose", false); // a firehose's notices carry no app id

  private final String kind;
  private final boolean keyIsAppId;

  RouterFeed(String kind, boolean keyIsAppId) {
    this.kind = kind;
    this.keyIsAppId = keyIsAppId;
  }

  /** Opens the connection's subscriber and registers it under {@code key}. */
  void open(
      EnvelopeRouter router,
      WebSocketSubscriptions.Settings subscriptions,
      Session session,
      String key) {
    Subscriber subscriber =
        WebSocketSubscriptions.open(
            subscriptions,
            session,
            keyIsAppId ? key : null,
            WebSocketSubscriptions.describe(kind, session));
    switch (this) {
      case STREAM -> router.subscribe(key, subscriber);
      case FIREHOSE -> router.subscribeFirehose(key, subscriber);
    }
  }

  /** Closes the connection's subscriber and unregisters it from under {@code key}, if it opened. */
  void close(
      EnvelopeRouter router,
      WebSocketSubscriptions.Settings subscriptions,
      Session session,
      CloseReason reason,
      String key) {
    Subscriber subscriber = WebSocketSubscriptions.close(subscriptions, session, reason);
    if (subscriber == null) {
      return;
    }
    switch (this) {
      case STREAM -> router.unsubscribe(key, subscriber);
      case FIREHOSE -> router.unsubscribeFirehose(key, subscriber);
    }
  }
}
