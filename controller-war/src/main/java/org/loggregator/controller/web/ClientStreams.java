package org.loggregator.controller.web;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.loggregator.config.DopplerAddress;
import org.loggregator.controller.lifecycle.Controller;
import org.loggregator.controller.proxy.ZoneFanIn;
import org.loggregator.edge.WebSocketSubscriptions;
import org.loggregator.protocol.LgrNotice;
import org.loggregator.sink.FirehoseGroup;
import org.loggregator.sink.Subscriber;

/** Opens and closes the client side of streams: a subscriber fed by a fan-in from dopplers. */
final class ClientStreams {
  private static final String FAN_IN = "loggregator.fanIn";

  private ClientStreams() {}

  /** A client tails an app: the app's owner in every zone feeds its subscriber. */
  static void openApp(Controller controller, Session session, String appId) {
    Subscriber subscriber =
        WebSocketSubscriptions.open(
            controller.subscriptions(),
            session,
            appId,
            WebSocketSubscriptions.describe("stream", session));
    ZoneFanIn fanIn =
        new ZoneFanIn(
            controller.upstreams(),
            subscriber::offer,
            text ->
                subscriber.offer(
                    LgrNotice.envelope(Controller.ORIGIN, appId, text, LgrNotice.nowNanos())),
            controller.scheduler(),
            controller.zonePools()::of,
            controller.metrics().zoneErrors());
    session.getUserProperties().put(FAN_IN, fanIn);
    controller.clients().streamOpened(fanIn);
    for (DopplerAddress owner : controller.directory().ownersOf(appId)) {
      fanIn.add(owner, "/apps/" + appId + "/stream");
    }
  }

  static void closeApp(Controller controller, Session session, CloseReason reason) {
    WebSocketSubscriptions.close(controller.subscriptions(), session, reason);
    ZoneFanIn fanIn = (ZoneFanIn) session.getUserProperties().remove(FAN_IN);
    if (fanIn != null) {
      controller.clients().streamClosed(fanIn);
    }
  }

  /** A client joins a firehose subscription: every doppler feeds the subscription's group. */
  static void openFirehose(Controller controller, Session session, String subscriptionId) {
    Subscriber subscriber =
        WebSocketSubscriptions.open(
            controller.subscriptions(),
            session,
            null,
            WebSocketSubscriptions.describe("firehose", session));
    controller
        .clients()
        .joinFirehose(
            subscriptionId, subscriber, group -> firehoseFanIn(controller, group, subscriptionId));
  }

  private static ZoneFanIn firehoseFanIn(
      Controller controller, FirehoseGroup group, String subscriptionId) {
    ZoneFanIn fanIn =
        new ZoneFanIn(
            controller.upstreams(),
            group::offer,
            text ->
                group.offer(
                    LgrNotice.envelope(Controller.ORIGIN, null, text, LgrNotice.nowNanos())),
            controller.scheduler(),
            controller.zonePools()::of,
            controller.metrics().zoneErrors());
    for (DopplerAddress doppler : controller.directory().all()) {
      fanIn.add(doppler, "/firehose/" + subscriptionId);
    }
    return fanIn;
  }

  static void closeFirehose(
      Controller controller, Session session, CloseReason reason, String subscriptionId) {
    Subscriber subscriber =
        WebSocketSubscriptions.close(controller.subscriptions(), session, reason);
    if (subscriber != null) {
      controller.clients().leaveFirehose(subscriptionId, subscriber);
    }
  }
}
