package org.loggregator.doppler.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.loggregator.doppler.routing.EnvelopeRouter;
import org.loggregator.edge.WebSocketSubscriptions;
import org.loggregator.sink.Subscriber;

/**
 * What a doppler WebSocket is fed from the router ({@link DopplerStreamEndpoints}), once the guard
 * has admitted it: one app's stream, keyed by app id, or a firehose subscription, keyed by
 * subscription id. Opens a connection's subscriber and registers it, then unregisters it when the
 * connection closes.
 */
@ApplicationScoped
public class RouterFeed {
  @Inject EnvelopeRouter router;
  @Inject WebSocketSubscriptions.Settings subscriptions;

  public void openStream(Session session, String appId) {
    router.subscribe(appId, WebSocketSubscriptions.open(subscriptions, session, appId, "stream"));
  }

  public void closeStream(Session session, CloseReason reason, String appId) {
    Subscriber subscriber = WebSocketSubscriptions.close(subscriptions, session, reason);
    if (subscriber != null) {
      router.unsubscribe(appId, subscriber);
    }
  }

  /** A firehose's notices carry no app id. */
  public void openFirehose(Session session, String subscriptionId) {
    router.subscribeFirehose(
        subscriptionId, WebSocketSubscriptions.open(subscriptions, session, null, "firehose"));
  }

  public void closeFirehose(Session session, CloseReason reason, String subscriptionId) {
    Subscriber subscriber = WebSocketSubscriptions.close(subscriptions, session, reason);
    if (subscriber != null) {
      router.unsubscribeFirehose(subscriptionId, subscriber);
    }
  }
}
