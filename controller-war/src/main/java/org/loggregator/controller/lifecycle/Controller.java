package org.loggregator.controller.lifecycle;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.websocket.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.loggregator.access.AccessGuard;
import org.loggregator.access.HandshakeCapture;
import org.loggregator.access.RouteTable;
import org.loggregator.access.SessionCaps;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.controller.auth.AppAuthorizer;
import org.loggregator.controller.auth.OriginPolicy;
import org.loggregator.controller.auth.TokenKeys;
import org.loggregator.controller.auth.TokenVerifier;
import org.loggregator.controller.config.ControllerConfig;
import org.loggregator.controller.inbound.ZoneForwarder;
import org.loggregator.controller.metrics.ControllerMetrics;
import org.loggregator.controller.proxy.ClientRegistry;
import org.loggregator.controller.proxy.DopplerHttpClient;
import org.loggregator.controller.proxy.DopplerMembership;
import org.loggregator.controller.proxy.DopplerStreams;
import org.loggregator.controller.proxy.WebSocketUpstreamConnector;
import org.loggregator.controller.proxy.ZonePools;
import org.loggregator.controller.proxy.ZoneQueries;
import org.loggregator.controller.proxy.Zones;
import org.loggregator.edge.ServerThreads;
import org.loggregator.edge.WebSocketSubscriptions;
import org.loggregator.ingress.UdpEnvelopeListener;
import org.loggregator.liveness.Liveness;
import org.loggregator.membership.NameResolver;
import org.loggregator.protocol.RequestSignature;
import org.loggregator.sink.ConnectionLiveness;

/**
 * The running traffic controller: started with the application, stopped with it. At start it
 * resolves the configuration (a bad value fails the start, naming the key), builds the access
 * control (loading the token keys, generating a development pair if allowed and absent), opens the
 * inbound UDP listener that forwards to this zone's dopplers, and starts the pools that fan in from
 * dopplers and write to clients, all on threads from Liberty's managed thread factory. At stop it
 * closes every client and waits for every thread it started.
 *
 * <p>What the endpoints use is handed to them through CDI producers, called only once the start is
 * done (the start observes the application's initialization, which comes before any request); the
 * inbound path, from the UDP listener to the forwarder, is plain Java built here.
 */
@ApplicationScoped
public class Controller {
  private static final Logger LOG = Logger.getLogger(Controller.class.getName());

  /** The origin of envelopes the controller writes itself (notices). */
  private static final String ORIGIN = "traffic-controller";

  @Inject ControllerConfig config;
  @Inject ControllerMetrics metrics;
  @Inject RouteTable routes;

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threadFactory;

  private UdpEnvelopeListener listener;
  private ZoneForwarder forwarder;
  private ExecutorService workers;
  private ExecutorService handshakes;
  private ScheduledThreadPoolExecutor scheduler;
  private ConnectionLiveness<Session> liveness;
  private AccessGuard guard;
  private OriginPolicy origins;
  private final Liveness alive = new Liveness();
  private ZonePools zonePools;
  private DopplerMembership membership;
  private ScheduledThreadPoolExecutor membershipThread;
  private ClientRegistry clients;
  private DopplerHttpClient dopplerHttp;
  private ZoneQueries zoneQueries;
  private DopplerStreams dopplerStreams;
  private WebSocketSubscriptions.Settings subscriptions;
  private volatile boolean ready;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    metrics.registerCounters();
    origins = new OriginPolicy(config.allowedOrigins());
    TokenVerifier tokens;
    try {
      tokens = new TokenVerifier(TokenKeys.load(config.tokens()), config.tokens());
    } catch (InvalidSettingException e) {
      LOG.severe("Controller cannot start: " + e.getMessage());
      throw e;
    }
    guard =
        new AccessGuard(
            routes,
            new AppAuthorizer(tokens, origins),
            new SessionCaps(
                config.maxSessions(), config.maxStreamsPerApp(), config.maxFirehoseConnections()),
            metrics.server().refusals());
    HandshakeCapture.serve(guard);
    membership = new DopplerMembership(config.dopplers(), NameResolver.SYSTEM);
    membership.failures().forEach(LOG::warning);
    zonePools = new ZonePools(membership.directory().zones(), threadFactory);
    RequestSignature signature = new RequestSignature(config.sharedSecret());
    handshakes =
        new ThreadPoolExecutor(
            0,
            16,
            60,
            TimeUnit.SECONDS,
            new java.util.concurrent.SynchronousQueue<>(),
            threadFactory);
    WebSocketUpstreamConnector upstreams =
        new WebSocketUpstreamConnector(signature, handshakes, config.dopplerConnectTimeout());
    dopplerHttp = new DopplerHttpClient(signature, config.dopplerConnectTimeout());
    int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    workers =
        new ThreadPoolExecutor(
            threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threadFactory);
    scheduler = new ScheduledThreadPoolExecutor(1, threadFactory);
    Zones zones = new Zones(membership, zonePools, scheduler, metrics.zoneErrors());
    zoneQueries = new ZoneQueries(zones, dopplerHttp, config.zoneQueryTimeout(), ORIGIN);
    dopplerStreams = new DopplerStreams(upstreams, zones);
    liveness = ServerThreads.webSocketLiveness(config.pingInterval());
    ServerThreads.schedule(
        scheduler,
        alive,
        metrics.server().taskErrors(),
        "WebSocket liveness",
        liveness::check,
        java.time.Duration.ofSeconds(1));
    ServerThreads.probe(
        scheduler, alive, metrics.server().taskErrors(), "controller workers", workers);
    clients = new ClientRegistry();
    subscriptions =
        new WebSocketSubscriptions.Settings(
            config.clientQueue(),
            config.budgets().clientQueueBytes(),
            threadFactory,
            metrics.clients(),
            ORIGIN,
            liveness);
    metrics.registerGauges(clients::streams, clients::firehoses);
    try {
      forwarder =
          new ZoneForwarder(
              membership.directory().of(config.zone()),
              metrics.forwarderSent(),
              metrics.forwarderErrors(),
              metrics.forwarderDropped());
      listener =
          UdpEnvelopeListener.start(
              config.inboundAddress(),
              64 << 20,
              1,
              config.sharedSecret(),
              metrics.server().listener(),
              forwarder,
              threadFactory);
    } catch (IOException e) {
      stop();
      throw new UncheckedIOException(e);
    }
    alive.watch(listener);
    followDopplers();
    metrics.registerLiveness(alive);
    ready = true;
    LOG.info("Controller started: " + config.summary() + "; inbound UDP " + listener.describe());
  }

  /**
   * When dopplers are given by name, resolves them again every {@code controller.dopplerRefresh} on
   * a thread of their own, and moves the inbound forwarder and every client's fan-in along.
   */
  private void followDopplers() {
    membership.follow(directory -> forwarder.route(directory.of(config.zone())));
    membership.follow(clients::follow);
    membership.follow(directory -> LOG.info("Dopplers now: " + directory.all()));
    if (!membership.hasNames()) {
      return;
    }
    membershipThread = new ScheduledThreadPoolExecutor(1, threadFactory);
    ServerThreads.schedule(
        membershipThread,
        alive,
        metrics.server().taskErrors(),
        "doppler names",
        this::refreshDopplers,
        config.dopplerRefresh());
  }

  private void refreshDopplers() {
    List<String> before = membership.failures();
    membership.refresh();
    List<String> after = membership.failures();
    if (!after.equals(before)) {
      after.forEach(LOG::warning);
      if (after.isEmpty()) {
        LOG.info("Every doppler name resolves again.");
      }
    }
  }

  @PreDestroy
  void stop() {
    ready = false;
    HandshakeCapture.serve(null);
    if (listener != null) {
      listener.close();
    }
    if (clients != null) {
      clients.closeAll();
    }
    if (liveness != null) {
      liveness.closeAll(1001, "The traffic controller is stopping.");
    }
    ServerThreads.stop(scheduler, workers, handshakes, membershipThread);
    if (zonePools != null) {
      ServerThreads.stop(zonePools.all());
    }
    if (forwarder != null) {
      try {
        forwarder.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    LOG.info("Controller stopped.");
  }

  /** The parts that must keep making progress, for the liveness check. */
  public Liveness alive() {
    return alive;
  }

  public boolean ready() {
    return ready;
  }

  /** The access control every endpoint asks before it serves anything. */
  @Produces
  AccessGuard guard() {
    return guard;
  }

  /** The browser origins that may use the cookie. */
  @Produces
  OriginPolicy origins() {
    return origins;
  }

  /** What every stream and firehose client of this controller shares. */
  @Produces
  WebSocketSubscriptions.Settings subscriptions() {
    return subscriptions;
  }

  /** The live stream and firehose clients. */
  @Produces
  ClientRegistry clients() {
    return clients;
  }

  /** Opens the fan-ins from dopplers that feed stream and firehose clients. */
  @Produces
  DopplerStreams dopplerStreams() {
    return dopplerStreams;
  }

  /** Asks the owner of an app in every zone, under the zone-query deadline. */
  @Produces
  ZoneQueries zoneQueries() {
    return zoneQueries;
  }

  /** Signed requests to dopplers. */
  @Produces
  DopplerHttpClient dopplerHttp() {
    return dopplerHttp;
  }

  /** The threads that send what the zones answered to a client, off the zones' pools. */
  @Produces
  @Named("controllerWorkers")
  ExecutorService workers() {
    return workers;
  }
}
