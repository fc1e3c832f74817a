package org.loggregator.doppler.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;
import org.loggregator.doppler.drain.DrainCounters;
import org.loggregator.doppler.drain.DrainRegistry;
import org.loggregator.doppler.drain.DrainUrl;
import org.loggregator.doppler.routing.EnvelopeRouter;
import org.loggregator.doppler.routing.RouterCounters;
import org.loggregator.doppler.transit.TransitCounters;
import org.loggregator.edge.MicroProfileCounters;
import org.loggregator.edge.ServerCounters;
import org.loggregator.ingress.ListenerCounters;
import org.loggregator.liveness.Liveness;
import org.loggregator.metrics.MetricName;
import org.loggregator.sink.SinkCounters;

/**
 * The doppler's metric catalogue: the counters of each pipeline stage (declared, with their
 * descriptions, beside the stage: {@link ListenerCounters}, {@link RouterCounters}, {@link
 * SinkCounters}, {@link DrainCounters}, {@link TransitCounters}) and the doppler's gauges, declared
 * here. Every metric carries {@code component=doppler}, so that in the all-in-one server, where
 * both applications share one registry, the controller's same-named metrics stay apart.
 */
@ApplicationScoped
public class DopplerMetrics {
  public static final Map<String, String> TAGS = Map.of("component", "doppler");

  static final MetricName WEBSOCKET_SINKS =
      MetricName.of(
          "messageRouter.numberOfWebsocketSinks", "Live stream subscribers, over all apps.");
  static final MetricName FIREHOSE_SINKS =
      MetricName.of(
          "messageRouter.numberOfFirehoseSinks",
          "Live firehose connections, over all subscription ids.");
  static final MetricName SYSLOG_SINKS =
      MetricName.of("messageRouter.numberOfSyslogSinks", "Active syslog and HTTPS drains.");
  static final MetricName ACTIVE_DRAINS =
      MetricName.of("drain.activeDrains", "Active drains, by URL scheme.");
  static final MetricName APPS =
      MetricName.of("messageRouter.numberOfApps", "Apps whose recent logs this doppler keeps.");
  static final MetricName RECENT_ENVELOPES =
      MetricName.of(
          "messageRouter.recentLogEnvelopes", "Envelopes held in all recent-log rings together.");

  @Inject
  @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
  MetricRegistry registry;

  private MicroProfileCounters counters;
  private ServerCounters server;
  private RouterCounters router;
  private SinkCounters sinks;
  private DrainCounters drains;
  private TransitCounters transit;

  /** Agent host names whose transit counters are tagged with their name; the rest are "other". */
  public static final int MAX_TRANSIT_AGENTS = 1_000;

  /** Creates every counter of the catalogue. */
  public void registerCounters() {
    counters = new MicroProfileCounters(registry);
    server = new ServerCounters(counters, TAGS);
    router = new RouterCounters(counters, TAGS);
    sinks = new SinkCounters(counters, TAGS);
    drains = new DrainCounters(counters, TAGS);
    transit = new TransitCounters(counters, TAGS, MAX_TRANSIT_AGENTS);
  }

  /** Registers the gauges that read the router's state when scraped. */
  public void registerGauges(EnvelopeRouter envelopeRouter) {
    gauge(WEBSOCKET_SINKS, envelopeRouter, EnvelopeRouter::streamSubscriberCount);
    gauge(FIREHOSE_SINKS, envelopeRouter, EnvelopeRouter::firehoseSubscriberCount);
    gauge(APPS, envelopeRouter, EnvelopeRouter::appCount);
    gauge(RECENT_ENVELOPES, envelopeRouter, EnvelopeRouter::recentEnvelopes);
  }

  /** Registers the gauges that read the drains' state when scraped. */
  public void registerDrainGauges(DrainRegistry drainRegistry) {
    gauge(SYSLOG_SINKS, drainRegistry, DrainRegistry::activeDrains);
    for (DrainUrl.Scheme scheme : DrainUrl.Scheme.values()) {
      gauge(
          ACTIVE_DRAINS.tagged("scheme", scheme.text()),
          drainRegistry,
          r -> r.activeDrains(scheme));
    }
  }

  /** Registers the gauge of what the liveness check reports, read when scraped. */
  public void registerLiveness(Liveness alive) {
    gauge(Liveness.PROBLEMS, alive, a -> a.problems(System.nanoTime()).size());
  }

  private <T> void gauge(MetricName name, T target, ToLongFunction<T> value) {
    counters.gauge(name.tagged(TAGS), target, value);
  }

  public RouterCounters router() {
    return router;
  }

  public SinkCounters sinks() {
    return sinks;
  }

  public DrainCounters drains() {
    return drains;
  }

  /** What was lost between agents and this doppler, per agent. */
  public TransitCounters transit() {
    return transit;
  }

  /**
   * What every server counts alike: its UDP listener, requests refused by access control, and
   * periodic tasks that threw.
   */
  public ServerCounters server() {
    return server;
  }
}
