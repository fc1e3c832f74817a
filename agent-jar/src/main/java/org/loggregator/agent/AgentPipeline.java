package org.loggregator.agent;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.loggregator.agent.cli.AgentConfig;
import org.loggregator.agent.forward.DopplerForwarder;
import org.loggregator.agent.forward.DopplerRoutes;
import org.loggregator.agent.forward.ManyToOneEnvelopeRing;
import org.loggregator.agent.forward.SenderWarmUp;
import org.loggregator.agent.forward.TransitNumbering;
import org.loggregator.agent.ingress.UdpIngressListener;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.agent.metrics.CounterEventReporter;
import org.loggregator.agent.metrics.KernelUdpDrops;
import org.loggregator.agent.metrics.PrometheusEndpoint;
import org.loggregator.agent.pods.PodLogSource;
import org.loggregator.agent.ratelimit.LogRateLimiter;
import org.loggregator.config.HostPort;
import org.loggregator.protocol.DatagramSignature;

/**
 * The stages every mode shares, wired from one {@link AgentConfig}: counters, the forward ring, the
 * forwarder, the metrics, and the UDP ingress when configured. Inputs of run mode attach to {@link
 * #ring()}.
 */
final class AgentPipeline implements AutoCloseable {

  /** How many apps the ingress rate limiter tracks per second. */
  private static final int RATE_LIMITED_APPS = 16_384;

  private final AgentConfig config;
  private final AgentCounters counters = new AgentCounters();
  private final ManyToOneEnvelopeRing ring;
  private final DopplerRoutes routes;
  private final DopplerForwarder forwarder;
  private final CounterEventReporter reporter;
  private PrometheusEndpoint endpoint;
  private UdpIngressListener ingress;
  private PodLogSource podLogs;
  private boolean closed;
  private ScheduledExecutorService names;

  /** Why the agent could not start; its message is one sentence for the operator. */
  static final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    StartupException(String message) {
      super(message, null, false, false);
    }
  }

  private AgentPipeline(AgentConfig config) throws IOException {
    this.config = config;
    this.ring = new ManyToOneEnvelopeRing(config.queueBytes());
    this.routes =
        config.controller().isPresent()
            ? DopplerRoutes.toController(config.controller().get())
            : DopplerRoutes.toDopplers(config.dopplers());
    this.forwarder =
        new DopplerForwarder(
            ring,
            routes,
            new DatagramSignature(config.sharedSecret().signing()),
            counters,
            new TransitNumbering(
                hostName(),
                new SecureRandom()::nextLong,
                counters,
                TransitNumbering.DEFAULT_MAX_APPS));
    this.reporter = new CounterEventReporter(counters, ring, config.metricsInterval().toMillis());
  }

  /** This host's name as the doppler's transit notices name it; "unknown" if it has none. */
  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * When a doppler (or the controller) is given by name, resolves the names again every {@code
   * --doppler-refresh} on a thread of their own, saying when a name starts or stops failing.
   */
  private void followDopplerNames(AgentLog log) {
    if (!routes.hasNames()) {
      return;
    }
    names =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "agent-doppler-names");
              thread.setDaemon(true);
              return thread;
            });
    long period = config.dopplerRefresh().toMillis();
    List<String> lastFailures = new ArrayList<>(routes.failures());
    names.scheduleWithFixedDelay(
        () -> {
          try {
            if (routes.refresh()) {
              log.info("destinations now " + describeTargets() + ".");
            }
            List<String> failures = routes.failures();
            if (!failures.equals(lastFailures)) {
              failures.forEach(f -> log.warn(f + " Its last addresses are kept."));
              lastFailures.clear();
              lastFailures.addAll(failures);
            }
          } catch (RuntimeException e) {
            log.warn("resolving doppler names failed: " + e + "; trying again.");
          }
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
  }

  /** Builds and starts every shared stage. */
  static AgentPipeline start(AgentConfig config, AgentLog log) throws StartupException {
    AgentPipeline p;
    try {
      p = new AgentPipeline(config);
    } catch (IOException e) {
      throw new StartupException("Cannot open a UDP socket to send from: " + e.getMessage() + ".");
    }
    for (String failure : p.routes.failures()) {
      log.warn(failure + " Envelopes for it count as send errors until it resolves.");
    }
    SenderWarmUp.run(new DatagramSignature(config.sharedSecret().signing()), SenderWarmUp.ROUNDS);
    p.forwarder.start();
    p.followDopplerNames(log);
    // One limiter for every input of serve mode, so that an app's limit holds across them.
    LogRateLimiter limiter =
        config.rateLimit() > 0 ? new LogRateLimiter(config.rateLimit(), RATE_LIMITED_APPS) : null;
    try {
      if (config.ingress().isPresent()) {
        try {
          p.ingress =
              new UdpIngressListener(
                  config.ingress().get(),
                  config.ingressBufferBytes(),
                  p.ring,
                  p.routes,
                  limiter,
                  config.origin(),
                  p.counters);
        } catch (IOException | RuntimeException e) {
          throw new StartupException(
              "Cannot listen for UDP on "
                  + config.ingress().get()
                  + " (--ingress): "
                  + reason(e)
                  + ".");
        }
        int port = p.ingress.localAddress().getPort();
        KernelUdpDrops drops = new KernelUdpDrops(port);
        long baseline = drops.drops();
        p.counters.sampleFrom(AgentCounter.INGRESS_KERNEL_DROPS, () -> drops.drops() - baseline);
        p.ingress.start();
        if (!p.ingress.localAddress().getAddress().isLoopbackAddress()) {
          log.warn(
              "the UDP ingress on "
                  + config.ingress().get()
                  + " accepts unsigned envelopes from other hosts.");
        }
      }
      if (config.podLogs().isPresent()) {
        try {
          p.podLogs = PodLogSource.start(config, p.ring, p.routes, limiter, p.counters, log);
        } catch (PodLogSource.StartupException e) {
          throw new StartupException(e.getMessage());
        }
      }
      if (config.metricsPort() > 0) {
        try {
          p.endpoint = PrometheusEndpoint.start(config.metricsPort(), p.counters, p.gauges());
        } catch (IOException e) {
          throw new StartupException(
              "Cannot serve metrics on 127.0.0.1:"
                  + config.metricsPort()
                  + " (--metrics-port): "
                  + reason(e)
                  + ".");
        }
      }
    } catch (StartupException e) {
      p.close();
      throw e;
    }
    p.reporter.start();
    return p;
  }

  private static String reason(Exception e) {
    if (e instanceof BindException) {
      return "address already in use or not local";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private List<PrometheusEndpoint.Gauge> gauges() {
    List<PrometheusEndpoint.Gauge> gauges = new ArrayList<>();
    gauges.add(
        new PrometheusEndpoint.Gauge(
            "agent_queue_capacity_bytes", "Capacity of the forward queue.", ring::capacity));
    gauges.add(
        new PrometheusEndpoint.Gauge(
            "agent_queue_used_bytes", "Bytes held in the forward queue now.", ring::usedBytes));
    if (ingress != null) {
      UdpIngressListener listener = ingress;
      gauges.add(
          new PrometheusEndpoint.Gauge(
              "dropsondeAgentListener_receiveBufferBytes",
              "Receive buffer the kernel granted the ingress socket (at most net.core.rmem_max).",
              listener::receiveBufferBytes));
    }
    if (podLogs != null) {
      PodLogSource source = podLogs;
      gauges.add(
          new PrometheusEndpoint.Gauge(
              "podLogs_trackedFiles",
              "Pod log files followed now (--pod-logs).",
              source::trackedFiles));
      gauges.add(
          new PrometheusEndpoint.Gauge(
              "podLogs_openFiles", "Pod log files open now (--pod-logs).", source::openFiles));
    }
    return gauges;
  }

  AgentCounters counters() {
    return counters;
  }

  ManyToOneEnvelopeRing ring() {
    return ring;
  }

  DopplerRoutes routes() {
    return routes;
  }

  Optional<UdpIngressListener> ingress() {
    return Optional.ofNullable(ingress);
  }

  Optional<PodLogSource> podLogs() {
    return Optional.ofNullable(podLogs);
  }

  Optional<PrometheusEndpoint> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  /** Where envelopes go, for the start-up line. */
  String describeTargets() {
    StringBuilder s = new StringBuilder(routes.viaController() ? "controller " : "dopplers ");
    List<HostPort> configured = routes.configured();
    for (int i = 0; i < configured.size(); i++) {
      s.append(i == 0 ? "" : ",").append(configured.get(i));
    }
    if (routes.hasNames()) {
      s.append(" (names resolved every ")
          .append(config.dopplerRefresh().toSeconds())
          .append(" s, now ")
          .append(routes.size())
          .append(" addresses)");
    }
    return s.toString();
  }

  /**
   * Stops the ingress, sends the last counters, gives the forwarder up to {@code drainMillis} to
   * empty the queue, then closes everything. Idempotent.
   */
  synchronized void close(long drainMillis) {
    if (closed) {
      return;
    }
    closed = true;
    if (ingress != null) {
      ingress.close();
    }
    if (podLogs != null) {
      podLogs.close();
    }
    reporter.close();
    if (names != null) {
      names.shutdownNow();
    }
    forwarder.close(drainMillis);
    if (endpoint != null) {
      endpoint.close();
    }
  }

  @Override
  public void close() {
    close(0);
  }

  /** One line of what happened, for the exit. */
  String summary() {
    long dropped =
        counters.get(AgentCounter.DROPPED_QUEUE_FULL)
            + counters.get(AgentCounter.DROPPED_RATE_LIMITED)
            + counters.get(AgentCounter.DROPPED_TOO_LARGE);
    StringBuilder s = new StringBuilder();
    if (config.mode() == AgentConfig.Mode.RUN) {
      s.append("read ").append(counters.get(AgentCounter.CHILD_LINES)).append(" lines, ");
    }
    if (ingress != null) {
      s.append("received ")
          .append(counters.get(AgentCounter.INGRESS_RECEIVED_MESSAGES))
          .append(" datagrams (")
          .append(counters.get(AgentCounter.INGRESS_UNMARSHAL_ERRORS))
          .append(" invalid), ");
    }
    if (podLogs != null) {
      s.append("read ")
          .append(counters.get(AgentCounter.POD_LINES))
          .append(" pod log lines (")
          .append(counters.get(AgentCounter.POD_MALFORMED_LINES))
          .append(" malformed; ")
          .append(counters.get(AgentCounter.POD_SKIPPED))
          .append(" pods skipped), ");
    }
    s.append("sent ")
        .append(counters.get(AgentCounter.SENT_MESSAGES))
        .append(" envelopes, dropped ")
        .append(dropped)
        .append(" (queue full ")
        .append(counters.get(AgentCounter.DROPPED_QUEUE_FULL))
        .append(", rate limited ")
        .append(counters.get(AgentCounter.DROPPED_RATE_LIMITED))
        .append(", too large ")
        .append(counters.get(AgentCounter.DROPPED_TOO_LARGE))
        .append("), ")
        .append(counters.get(AgentCounter.SEND_ERRORS))
        .append(" send errors; peak RSS ")
        .append(peakRssKib() / 1024)
        .append(" MiB, heap ")
        .append((Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20)
        .append(" MiB used of ")
        .append(Runtime.getRuntime().totalMemory() >> 20)
        .append(" MiB committed");
    return s.toString();
  }

  /** VmHWM of this process (Linux); 0 elsewhere. */
  static long peakRssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return 0;
  }
}
