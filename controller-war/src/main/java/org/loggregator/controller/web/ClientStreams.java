package org.loggregator.controller.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.loggregator.controller.proxy.ClientRegistry;
import org.loggregator.controller.proxy.DopplerStreams;
import org.loggregator.controller.proxy.ZoneFanIn;
import org.loggregator.edge.WebSocketSubscriptions;
import org.loggregator.protocol.LgrNotice;
import org.loggregator.sink.FirehoseGroup;
import org.loggregator.sink.Subscriber;

/**
 * Opens and closes the client side of streams ({@link ControllerStreamEndpoints}), once the guard
 * has admitted them: a subscriber fed by a fan-in from dopplers.
 */
@ApplicationScoped
public class ClientStreams {
  private static final String FAN_IN = "loggregator.fanIn";

  @Inject WebSocketSubscriptions.Settings subscriptions;
  @Inject DopplerStreams dopplers;
  @Inject ClientRegistry clients;

  /** A client tails an app: the app's owner in every zone feeds its subscriber. */
  public void openApp(Session session, String appId) {
    Subscriber subscriber = WebSocketSubscriptions.open(subscriptions, session, appId, "stream");
    ZoneFanIn fanIn =
        dopplers.fanIn(
            subscriber::offer,
            text ->
                subscriber.offer(
                    LgrNotice.envelope(subscriptions.origin(), appId, text, LgrNotice.nowNanos())));
    session.getUserProperties().put(FAN_IN, fanIn);
    clients.streamOpened(fanIn);
    dopplers.addApp(fanIn, appId);
  }

  public void closeApp(Session session, CloseReason reason) {
    WebSocketSubscriptions.close(subscriptions, session, reason);
    ZoneFanIn fanIn = (ZoneFanIn) session.getUserProperties().remove(FAN_IN);
    if (fanIn != null) {
      clients.streamClosed(fanIn);
    }
  }

  /** A client joins a firehose subscription: every doppler feeds the subscription's group. */
  public void openFirehose(Session session, String subscriptionId) {
    Subscriber subscriber = WebSocketSubscriptions.open(subscriptions, session, null, "firehose");
    clients.joinFirehose(subscriptionId, subscriber, group -> firehoseFanIn(group, subscriptionId));
  }

  private ZoneFanIn firehoseFanIn(FirehoseGroup group, String subscriptionId) {
    return dopplers.firehose(
        subscriptionId,
        group::offer,
        text ->
            group.offer(
                LgrNotice.envelope(subscriptions.origin(), null, text, LgrNotice.nowNanos())));
  }

  public void closeFirehose(Session session, CloseReason reason, String subscriptionId) {
    Subscriber subscriber = WebSocketSubscriptions.close(subscriptions, session, reason);
    if (subscriber != null) {
      clients.leaveFirehose(subscriptionId, subscriber);
    }
  }
}
