package org.loggregator.doppler.lifecycle;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import org.loggregator.access.AccessGuard;
import org.loggregator.access.HandshakeCapture;
import org.loggregator.access.RouteTable;
import org.loggregator.access.SessionCaps;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.doppler.auth.ReplayCache;
import org.loggregator.doppler.auth.SignatureAuthorizer;
import org.loggregator.doppler.config.DopplerConfig;
import org.loggregator.doppler.config.DrainRules;
import org.loggregator.doppler.drain.DrainBinding;
import org.loggregator.doppler.drain.DrainRegistry;
import org.loggregator.doppler.drain.DrainTls;
import org.loggregator.doppler.drain.DrainWriters;
import org.loggregator.doppler.drain.address.AddressGuard;
import org.loggregator.doppler.drain.address.AddressPolicy;
import org.loggregator.doppler.drain.address.LocalAddresses;
import org.loggregator.doppler.drain.address.Resolver;
import org.loggregator.doppler.metrics.DopplerMetrics;
import org.loggregator.doppler.routing.EnvelopeRouter;
import org.loggregator.doppler.transit.TransitLossTracker;
import org.loggregator.doppler.transit.TransitNotices;
import org.loggregator.edge.ServerThreads;
import org.loggregator.edge.WebSocketSubscriptions;
import org.loggregator.ingress.UdpEnvelopeListener;
import org.loggregator.liveness.Liveness;
import org.loggregator.protocol.RequestSignature;
import org.loggregator.retry.Backoff;
import org.loggregator.retry.Backoff.Jitter;
import org.loggregator.sink.ConnectionLiveness;

/**
 * The running doppler: started with the application, stopped with it. At start it resolves the
 * configuration (a bad value fails the start, naming the key), creates the router, opens the UDP
 * listener, and starts the writer pool and the periodic sweep and liveness checks, all on threads
 * from Liberty's managed thread factory. At stop it closes the listener and the subscribers and
 * waits for every thread it started to end.
 *
 * <p>What the endpoints use is handed to them through CDI producers, called only once the start is
 * done (the start observes the application's initialization, which comes before any request); the
 * path from the UDP listener through the router to the sinks is plain Java built here.
 */
@ApplicationScoped
public class Doppler {
  private static final Logger LOG = Logger.getLogger(Doppler.class.getName());

  /** The origin of envelopes the doppler writes itself (notices). */
  public static final String ORIGIN = "doppler";

  /**
   * Signed controller requests remembered to refuse replays: each for the minute it is valid, so
   * this many requests a minute at most.
   */
  static final int REPLAY_CACHE_ENTRIES = 65_536;

  /** How often lost log lines are counted and told to their apps. */
  static final Duration TRANSIT_FLUSH = Duration.ofSeconds(5);

  /** (agent epoch, app) pairs whose transit losses are counted at once. */
  static final int TRANSIT_ENTRIES = 100_000;

  /** Flushes without an envelope after which an (agent epoch, app) pair is forgotten: a minute. */
  static final int TRANSIT_IDLE_FLUSHES = 12;

  /** A drain's first wait before reconnecting, doubled at each failure up to its maximum. */
  static final Duration DRAIN_FIRST_RETRY = Duration.ofSeconds(1);

  @Inject DopplerConfig config;
  @Inject DopplerMetrics metrics;
  @Inject RouteTable routes;

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threadFactory;

  private EnvelopeRouter router;
  private UdpEnvelopeListener listener;
  private DrainWriters drainWriters;
  private DrainRegistry drains;
  private ScheduledThreadPoolExecutor scheduler;
  private ConnectionLiveness<Session> liveness;
  private WebSocketSubscriptions.Settings subscriptions;
  private AccessGuard guard;
  private final Liveness alive = new Liveness();
  private volatile boolean ready;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    metrics.registerCounters();
    guard =
        new AccessGuard(
            routes,
            new SignatureAuthorizer(
                new RequestSignature(config.sharedSecret()),
                new ReplayCache(REPLAY_CACHE_ENTRIES),
                () -> System.currentTimeMillis() / 1000),
            new SessionCaps(config.maxSessions(), config.maxSessions(), config.maxSessions()),
            metrics.server().refusals());
    HandshakeCapture.serve(guard);
    router =
        new EnvelopeRouter(
            new EnvelopeRouter.Retention(
                config.recentLogs(),
                config.maxApps(),
                config.appTtl().toNanos(),
                config.containerMetricTtl().toNanos()),
            System::nanoTime,
            metrics.router(),
            new EnvelopeRouter.Budgets(
                config.memory().recentLogBytes(),
                config.memory().recentLogsTotalBytes(),
                config.memory().maxInstancesPerApp(),
                config.memory().containerMetricBytes()));
    metrics.registerGauges(router);
    scheduler = new ScheduledThreadPoolExecutor(1, threadFactory);
    liveness = ServerThreads.webSocketLiveness(config.pingInterval());
    Duration sweep = Duration.ofMillis(Math.min(10_000, config.appTtl().toMillis() / 10));
    ServerThreads.schedule(
        scheduler, alive, metrics.server().taskErrors(), "router sweep", router::sweep, sweep);
    ServerThreads.schedule(
        scheduler,
        alive,
        metrics.server().taskErrors(),
        "WebSocket liveness",
        liveness::check,
        Duration.ofSeconds(1));
    startDrains();
    subscriptions =
        new WebSocketSubscriptions.Settings(
            config.subscriberQueue(),
            config.memory().subscriberQueueBytes(),
            threadFactory,
            metrics.sinks(),
            ORIGIN,
            liveness);
    TransitLossTracker transit =
        new TransitLossTracker(TRANSIT_ENTRIES, TRANSIT_IDLE_FLUSHES, metrics.transit());
    try {
      listener =
          UdpEnvelopeListener.start(
              config.udpAddress(),
              config.udpReceiveBufferBytes(),
              config.udpReceiverThreads(),
              config.sharedSecret(),
              metrics.server().listener(),
              (datagram, offset, length, fields) -> {
                transit.record(fields);
                router.onEnvelope(datagram, offset, length, fields);
              },
              threadFactory);
    } catch (IOException e) {
      stop();
      throw new UncheckedIOException(e);
    }
    TransitNotices notices =
        new TransitNotices(
            router::injectNotice,
            ORIGIN,
            dopplerName(listener.localAddress().getPort()),
            TRANSIT_FLUSH.toSeconds());
    ServerThreads.schedule(
        scheduler,
        alive,
        metrics.server().taskErrors(),
        "transit loss flush",
        () -> notices.publish(transit.flush()),
        TRANSIT_FLUSH);
    alive.watch(listener);
    metrics.registerLiveness(alive);
    ready = true;
    LOG.info("Doppler started: " + config.summary() + "; UDP " + listener.describe());
  }

  /**
   * How transit notices name this doppler: its host name and UDP port, which is what an operator
   * finds in the agents' --doppler lists.
   */
  static String dopplerName(int udpPort) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    return host + ":" + udpPort;
  }

  /** Creates the drain registry, binds the static drains, and sweeps the bindings every second. */
  private void startDrains() {
    DrainTls tls;
    try {
      tls = DrainTls.create(config.drainTrustStore());
    } catch (IOException | GeneralSecurityException e) {
      stop();
      InvalidSettingException invalid =
          new InvalidSettingException(
              DopplerConfig.DRAIN_TRUST_STORE,
              "Configuration value "
                  + DopplerConfig.DRAIN_TRUST_STORE
                  + " must be a PEM file of certificate authorities, but "
                  + config.drainTrustStore()
                  + " cannot be used: "
                  + e.getMessage());
      LOG.severe("Doppler cannot start: " + invalid.getMessage());
      throw invalid;
    }
    DrainRules rules = config.drainRules();
    AddressPolicy policy =
        new AddressPolicy(
            rules.allowCidrs(), rules.denyCidrs(), rules.ownPorts(), LocalAddresses.SYSTEM);
    drainWriters = new DrainWriters(tls, new AddressGuard(Resolver.SYSTEM, policy), threadFactory);
    LOG.info("Drain rules: " + rules.summary());
    drains =
        new DrainRegistry(
            new DrainRegistry.Limits(
                config.drainQueue(),
                config.drainTtl(),
                config.maxDrainsPerApp(),
                config.maxDrains(),
                config.syslogHostname(),
                config.memory().drainQueueBytes(),
                rules.bindFromTags()),
            drainWriters,
            threadFactory,
            metrics.drains(),
            router::injectNotice,
            ORIGIN,
            System::nanoTime,
            () ->
                new Backoff(
                    DRAIN_FIRST_RETRY,
                    config.drainMaxBackoff(),
                    Jitter.upToCeiling(),
                    ChronoUnit.NANOS,
                    () -> ThreadLocalRandom.current().nextDouble()));
    for (DrainBinding binding : config.drains()) {
      if (!drains.bindStatic(binding.appId(), binding.url())) {
        LOG.warning(
            "Static drain refused (over a cap) for app " + binding.appId() + ": " + binding.url());
      }
    }
    router.drainTo(drains);
    metrics.registerDrainGauges(drains);
    ServerThreads.schedule(
        scheduler,
        alive,
        metrics.server().taskErrors(),
        "drain sweep",
        drains::sweep,
        Duration.ofSeconds(1));
    alive.watch(drains);
  }

  @PreDestroy
  void stop() {
    ready = false;
    HandshakeCapture.serve(null);
    if (listener != null) {
      listener.close();
    }
    if (drains != null) {
      drains.close(5000);
    }
    if (drainWriters != null) {
      drainWriters.close();
    }
    if (liveness != null) {
      liveness.closeAll(1001, "The doppler is stopping.");
    }
    ServerThreads.stop(scheduler);
    LOG.info("Doppler stopped.");
  }

  /** The access control every endpoint asks before it serves anything. */
  @Produces
  AccessGuard guard() {
    return guard;
  }

  /** The drains of every app: bindings from tags, from the configuration and from the admin API. */
  @Produces
  DrainRegistry drains() {
    return drains;
  }

  /** The app streams, firehose subscriptions, recent logs and container metrics. */
  @Produces
  EnvelopeRouter router() {
    return router;
  }

  /** What every stream and firehose subscriber of this doppler shares. */
  @Produces
  WebSocketSubscriptions.Settings subscriptions() {
    return subscriptions;
  }

  /** The parts that must keep making progress, for the liveness check. */
  public Liveness alive() {
    return alive;
  }

  /** True once the listener is bound and until the application stops. */
  public boolean ready() {
    return ready;
  }
}
