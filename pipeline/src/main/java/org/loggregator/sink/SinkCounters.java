package org.loggregator.sink;

import java.util.Map;
import java.util.function.Function;
import org.loggregator.ingress.ListenerCounters;
import org.loggregator.metrics.Counter;
import org.loggregator.metrics.MetricName;

/** What the subscribers count, together; thread-safe. */
public final class SinkCounters {
  public static final MetricName SENT =
      MetricName.of(
          "messageRouter.sentMessages", "Envelopes written to stream and firehose subscribers.");
  public static final MetricName NOTICES =
      MetricName.of(
          "messageRouter.droppedMessageNotices",
          "Notices told to subscribers that fell behind, each covering one or more drops.");

  final Counter droppedEgress;
  final Counter sent;
  final Counter notices;

  public SinkCounters(Function<MetricName, Counter> counters, Map<String, String> tags) {
    droppedEgress =
        counters.apply(ListenerCounters.DROPPED.tagged("direction", "egress").tagged(tags));
    sent = counters.apply(SENT.tagged(tags));
    notices = counters.apply(NOTICES.tagged(tags));
  }

  /**
   * Counters under names of the component's own choosing.
   *
   * @param droppedEgress envelopes dropped because a subscriber fell behind
   * @param sent envelopes written to subscribers
   * @param notices notices told to subscribers that fell behind
   */
  public SinkCounters(Counter droppedEgress, Counter sent, Counter notices) {
    this.droppedEgress = droppedEgress;
    this.sent = sent;
    this.notices = notices;
  }

  /** Envelopes dropped because a subscriber fell behind. */
  public long droppedEgress() {
    return droppedEgress.count();
  }

  public long sent() {
    return sent.count();
  }

  public long notices() {
    return notices.count();
  }
}
