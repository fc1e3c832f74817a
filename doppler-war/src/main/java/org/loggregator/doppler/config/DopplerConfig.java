package org.loggregator.doppler.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.loggregator.config.HostPort;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.config.Settings;
import org.loggregator.doppler.drain.DrainBinding;
import org.loggregator.doppler.drain.SyslogFormatter;
import org.loggregator.protocol.SharedSecrets;
import org.loggregator.sink.ManyToOneDropOldestQueue;

/**
 * Everything a doppler is configured with, resolved and validated once at start-up. The keys are
 * the names of the {@code server.xml} variables (docs/OPERATIONS.md lists them with their meaning).
 *
 * @param zone the zone this doppler serves
 * @param sharedSecret HMAC keys of every signed datagram and of controller requests (the first
 *     signs, any verifies)
 * @param udpAddress where the UDP listener binds
 * @param udpReceiveBufferBytes receive buffer to ask the kernel for (it may grant less)
 * @param udpReceiverThreads threads reading the UDP socket
 * @param recentLogs envelopes kept per app for recent-log requests
 * @param subscriberQueue envelopes queued per stream or firehose subscriber before it drops
 * @param containerMetricTtl how long the latest ContainerMetric of an instance is kept
 * @param appTtl how long a silent app is remembered
 * @param maxApps how many apps are tracked before the least recently active is evicted
 * @param pingInterval how often each WebSocket is pinged
 * @param drainQueue envelopes queued per drain before the oldest are dropped
 * @param drainTtl how long a drain binding from an envelope's drain_urls tag lives unseen
 * @param maxDrainsPerApp drains one app may have
 * @param maxDrains drains this doppler serves at most (each has its own writer thread)
 * @param drainMaxBackoff the longest wait between a drain's reconnection attempts
 * @param syslogHostname the HOSTNAME field of the syslog frames drains get
 * @param drains drain bindings configured by the operator, which never expire
 * @param drainTrustStore a PEM file of more certificate authorities TLS drains trust, or null
 * @param maxSessions WebSocket sessions (from controllers) open at once
 * @param drainRules which addresses drains may reach, and how drains are bound
 * @param memory the byte budgets of rings, queues and metrics
 */
public record DopplerConfig(
    String zone,
    SharedSecrets sharedSecret,
    HostPort udpAddress,
    int udpReceiveBufferBytes,
    int udpReceiverThreads,
    int recentLogs,
    int subscriberQueue,
    Duration containerMetricTtl,
    Duration appTtl,
    int maxApps,
    Duration pingInterval,
    int drainQueue,
    Duration drainTtl,
    int maxDrainsPerApp,
    int maxDrains,
    Duration drainMaxBackoff,
    String syslogHostname,
    List<DrainBinding> drains,
    Path drainTrustStore,
    int maxSessions,
    DrainRules drainRules,
    MemoryBudgets memory) {

  public static final String UDP_BIND_ADDRESS = "doppler.udpBindAddress";
  public static final String UDP_PORT = "doppler.udpPort";
  public static final String UDP_RECEIVE_BUFFER = "doppler.udpReceiveBufferBytes";
  public static final String UDP_RECEIVER_THREADS = "doppler.udpReceiverThreads";
  public static final String RECENT_LOGS = "doppler.recentLogs";
  public static final String SUBSCRIBER_QUEUE = "doppler.subscriberQueue";
  public static final String CONTAINER_METRIC_TTL = "doppler.containerMetricTtl";
  public static final String APP_TTL = "doppler.appTtl";
  public static final String MAX_APPS = "doppler.maxApps";
  public static final String PING_INTERVAL = "doppler.pingInterval";
  public static final String DRAIN_QUEUE = "doppler.drainQueue";
  public static final String DRAIN_TTL = "doppler.drainTtl";
  public static final String MAX_DRAINS_PER_APP = "doppler.maxDrainsPerApp";
  public static final String MAX_DRAINS = "doppler.maxDrains";
  public static final String DRAIN_MAX_BACKOFF = "doppler.drainMaxBackoff";
  public static final String SYSLOG_HOSTNAME = "doppler.syslogHostname";
  public static final String DRAINS = "doppler.drains";
  public static final String DRAIN_TRUST_STORE = "doppler.drainTrustStore";
  public static final String MAX_SESSIONS = "doppler.maxSessions";

  public DopplerConfig {
    drains = List.copyOf(drains);
  }

  /** Reads and validates every key; the first bad value throws, naming its key. */
  public static DopplerConfig from(Settings settings) {
    return new DopplerConfig(
        settings.name(Settings.ZONE, "z1"),
        settings.sharedSecrets(Settings.SHARED_SECRET),
        settings.bindAddress(UDP_BIND_ADDRESS, "127.0.0.1", settings.port(UDP_PORT, 3458, true)),
        settings.integer(UDP_RECEIVE_BUFFER, 64 << 20, 64 << 10, 1 << 30),
        settings.integer(UDP_RECEIVER_THREADS, 1, 1, 16),
        settings.integer(RECENT_LOGS, 100, 1, 10_000),
        settings.integer(SUBSCRIBER_QUEUE, ManyToOneDropOldestQueue.DEFAULT_CAPACITY, 16, 1 << 20),
        settings.duration(
            CONTAINER_METRIC_TTL,
            Duration.ofSeconds(120),
            Duration.ofSeconds(1),
            Duration.ofDays(1)),
        settings.duration(APP_TTL, Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofDays(7)),
        settings.integer(MAX_APPS, 10_000, 1, 1_000_000),
        settings.duration(
            PING_INTERVAL, Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(30)),
        settings.integer(DRAIN_QUEUE, 10_000, 16, 1 << 20),
        settings.duration(
            DRAIN_TTL, Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofDays(7)),
        settings.integer(MAX_DRAINS_PER_APP, 5, 1, 1000),
        settings.integer(MAX_DRAINS, 1000, 1, 10_000),
        settings.duration(
            DRAIN_MAX_BACKOFF, Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMinutes(1)),
        syslogHostname(settings),
        DrainBinding.parseList(DRAINS, settings.string(DRAINS, "")),
        trustStore(settings),
        settings.integer(MAX_SESSIONS, 10_000, 1, 1_000_000),
        DrainRules.from(settings),
        MemoryBudgets.from(settings));
  }

  private static String syslogHostname(Settings settings) {
    String hostname = settings.string(SYSLOG_HOSTNAME, SyslogFormatter.DEFAULT_HOSTNAME);
    if (!SyslogFormatter.isValidHostname(hostname)) {
      throw new InvalidSettingException(
          SYSLOG_HOSTNAME,
          "Configuration value "
              + SYSLOG_HOSTNAME
              + " must be 1 to 255 printable ASCII characters without spaces, but is \""
              + hostname
              + "\".");
    }
    return hostname;
  }

  private static Path trustStore(Settings settings) {
    String file = settings.string(DRAIN_TRUST_STORE, "");
    if (file.isEmpty()) {
      return null;
    }
    Path path = Path.of(file);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new InvalidSettingException(
          DRAIN_TRUST_STORE,
          "Configuration value "
              + DRAIN_TRUST_STORE
              + " must be a readable PEM file of certificate authorities, but \""
              + file
              + "\" is not one.");
    }
    return path;
  }

  /** A one-line summary for the start-up log, without the secret. */
  public String summary() {
    return "zone "
        + zone
        + ", UDP "
        + udpAddress
        + " ("
        + udpReceiverThreads
        + " receiver thread(s)), recent logs "
        + recentLogs
        + " per app, subscriber queue "
        + subscriberQueue
        + ", app TTL "
        + appTtl
        + ", max apps "
        + maxApps
        + ", drain queue "
        + drainQueue
        + ", drain TTL "
        + drainTtl
        + ", max drains "
        + maxDrainsPerApp
        + " per app and "
        + maxDrains
        + " in all, "
        + drains.size()
        + " static drain(s)"
        + (drainTrustStore == null ? "" : ", drain trust store " + drainTrustStore)
        + ", sessions at most "
        + maxSessions;
  }
}
