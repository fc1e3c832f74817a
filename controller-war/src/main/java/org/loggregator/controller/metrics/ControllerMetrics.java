package org.loggregator.controller.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.function.IntSupplier;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;
import org.loggregator.edge.MicroProfileCounters;
import org.loggregator.edge.ServerCounters;
import org.loggregator.ingress.ListenerCounters;
import org.loggregator.liveness.Liveness;
import org.loggregator.metrics.Counter;
import org.loggregator.metrics.MetricName;
import org.loggregator.sink.SinkCounters;

/**
 * The traffic controller's metric catalogue: the inbound listener's counters (declared beside it,
 * in {@link ListenerCounters}) and everything the controller counts itself, declared here. Every
 * metric carries {@code component=controller}, so that in the all-in-one server, where both
 * applications share one registry, they stay apart from the doppler's.
 */
@ApplicationScoped
public class ControllerMetrics {
  public static final Map<String, String> TAGS = Map.of("component", "controller");

  static final MetricName FORWARDER_SENT =
      MetricName.of(
          "DopplerForwarder.sentMessages", "Signed envelopes forwarded to the owning doppler.");
  static final MetricName FORWARDER_ERRORS =
      MetricName.of(
          "DopplerForwarder.sendErrors",
          "Signed envelopes the operating system refused to send to a doppler.");
  static final MetricName SLOW_CONSUMER =
      MetricName.of(
          "dopplerProxy.slowConsumer",
          "Envelopes dropped because a client read more slowly than they arrived.");
  static final MetricName CLIENT_SENT =
      MetricName.of(
          "dopplerProxy.sentMessages", "Envelopes written to stream and firehose clients.");
  static final MetricName CLIENT_NOTICES =
      MetricName.of(
          "dopplerProxy.droppedMessageNotices",
          "Notices told to clients that fell behind, each covering one or more drops.");
  static final MetricName ZONE_ERRORS =
      MetricName.of(
          "dopplerProxy.zoneErrors",
          "Doppler connections that failed or dropped; each is retried with backoff.");
  static final MetricName STREAMS =
      MetricName.of("dopplerProxy.numberOfStreams", "Live app stream clients (WebSocket).");
  static final MetricName FIREHOSES =
      MetricName.of("dopplerProxy.numberOfFirehoseConnections", "Live firehose clients.");

  @Inject
  @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
  MetricRegistry registry;

  private MicroProfileCounters counters;
  private ServerCounters server;
  private SinkCounters clients;
  private Counter forwarderSent;
  private Counter forwarderErrors;
  private Counter forwarderDropped;
  private Counter zoneErrors;

  /** Creates every counter of the catalogue. */
  public void registerCounters() {
    counters = new MicroProfileCounters(registry);
    server = new ServerCounters(counters, TAGS);
    forwarderSent = counters.apply(FORWARDER_SENT.tagged(TAGS));
    forwarderErrors = counters.apply(FORWARDER_ERRORS.tagged(TAGS));
    forwarderDropped =
        counters.apply(ListenerCounters.DROPPED.tagged(TAGS).tagged("direction", "egress"));
    clients =
        new SinkCounters(
            counters.apply(SLOW_CONSUMER.tagged(TAGS).tagged("direction", "egress")),
            counters.apply(CLIENT_SENT.tagged(TAGS)),
            counters.apply(CLIENT_NOTICES.tagged(TAGS)));
    zoneErrors = counters.apply(ZONE_ERRORS.tagged(TAGS));
  }

  /** Registers the gauges, reading live values when scraped. */
  public void registerGauges(IntSupplier streams, IntSupplier firehoses) {
    counters.gauge(STREAMS.tagged(TAGS), streams, IntSupplier::getAsInt);
    counters.gauge(FIREHOSES.tagged(TAGS), firehoses, IntSupplier::getAsInt);
  }

  /** Registers the gauge of what the liveness check reports, read when scraped. */
  public void registerLiveness(Liveness alive) {
    counters.gauge(
        Liveness.PROBLEMS.tagged(TAGS), alive, a -> a.problems(System.nanoTime()).size());
  }

  public SinkCounters clients() {
    return clients;
  }

  public Counter forwarderSent() {
    return forwarderSent;
  }

  public Counter forwarderErrors() {
    return forwarderErrors;
  }

  /** Datagrams dropped on the way to a doppler because the send buffer was full. */
  public Counter forwarderDropped() {
    return forwarderDropped;
  }

  public Counter zoneErrors() {
    return zoneErrors;
  }

  /**
   * What every server counts alike: its UDP listener, requests refused by access control, and
   * periodic tasks that threw.
   */
  public ServerCounters server() {
    return server;
  }
}
