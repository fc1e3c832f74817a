package org.loggregator.controller.config;

import java.time.Duration;
import java.util.List;
import org.loggregator.config.DopplerAddress;
import org.loggregator.config.HostPort;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.config.Settings;
import org.loggregator.protocol.SharedSecrets;
import org.loggregator.sink.ManyToOneDropOldestQueue;

/**
 * Everything a traffic controller is configured with, resolved and validated once at start-up. The
 * keys are the names of the {@code server.xml} variables.
 *
 * @param zone the zone this controller routes inbound envelopes into
 * @param sharedSecret HMAC keys of signed datagrams and of requests to dopplers (the first signs,
 *     any verifies)
 * @param inboundAddress where the inbound UDP listener binds
 * @param dopplers every doppler of every zone
 * @param clientQueue envelopes queued per client connection before it drops
 * @param tokens how bearer tokens are checked
 * @param allowedOrigins browser origins besides the server's own that may use the cookie
 * @param maxSessions WebSocket sessions open at once, in total
 * @param maxStreamsPerApp WebSocket sessions serving one app at once
 * @param maxFirehoseConnections WebSocket sessions sharing one firehose subscription id
 * @param pingInterval how often each client WebSocket is pinged
 * @param budgets the byte budgets of client queues
 * @param dopplerConnectTimeout how long a connection to a doppler (TCP and WebSocket handshake) may
 *     take
 * @param zoneQueryTimeout how long recent logs and container metrics wait for the zones, all asked
 *     at once
 * @param dopplerRefresh how often doppler names are resolved again
 */
public record ControllerConfig(
    String zone,
    SharedSecrets sharedSecret,
    HostPort inboundAddress,
    List<DopplerAddress> dopplers,
    int clientQueue,
    TokenSettings tokens,
    List<String> allowedOrigins,
    int maxSessions,
    int maxStreamsPerApp,
    int maxFirehoseConnections,
    Duration pingInterval,
    ClientBudgets budgets,
    Duration dopplerConnectTimeout,
    Duration zoneQueryTimeout,
    Duration dopplerRefresh) {

  public static final String INBOUND_BIND_ADDRESS = "controller.inboundBindAddress";
  public static final String INBOUND_PORT = "controller.inboundPort";
  public static final String DOPPLERS = "controller.dopplers";
  public static final String CLIENT_QUEUE = "controller.clientQueue";
  public static final String ALLOWED_ORIGINS = "controller.allowedOrigins";
  public static final String MAX_SESSIONS = "controller.maxSessions";
  public static final String MAX_STREAMS_PER_APP = "controller.maxStreamsPerApp";
  public static final String MAX_FIREHOSE_CONNECTIONS = "controller.maxFirehoseConnections";
  public static final String PING_INTERVAL = "controller.pingInterval";
  public static final String DOPPLER_CONNECT_TIMEOUT = "controller.dopplerConnectTimeout";
  public static final String ZONE_QUERY_TIMEOUT = "controller.zoneQueryTimeout";
  public static final String DOPPLER_REFRESH = "controller.dopplerRefresh";

  /** Reads and validates every key; the first bad value throws, naming its key. */
  public static ControllerConfig from(Settings settings) {
    String zone = settings.name(Settings.ZONE, "z1");
    SharedSecrets secret = settings.sharedSecrets(Settings.SHARED_SECRET);
    HostPort inbound =
        settings.bindAddress(
            INBOUND_BIND_ADDRESS, "127.0.0.1", settings.port(INBOUND_PORT, 3456, true));
    List<DopplerAddress> dopplers =
        settings.dopplers(DOPPLERS, "z1 127.0.0.1:3458 http://127.0.0.1:8080/doppler");
    if (dopplers.stream().noneMatch(d -> d.zone().equals(zone))) {
      throw new InvalidSettingException(
          DOPPLERS,
          "Configuration value "
              + DOPPLERS
              + " must list at least one doppler of this controller's zone "
              + zone
              + ".");
    }
    return new ControllerConfig(
        zone,
        secret,
        inbound,
        dopplers,
        settings.integer(CLIENT_QUEUE, ManyToOneDropOldestQueue.DEFAULT_CAPACITY, 16, 1 << 20),
        TokenSettings.from(settings),
        Origins.parseAllowed(ALLOWED_ORIGINS, settings.list(ALLOWED_ORIGINS)),
        settings.integer(MAX_SESSIONS, 10_000, 1, 1_000_000),
        settings.integer(MAX_STREAMS_PER_APP, 100, 1, 1_000_000),
        settings.integer(MAX_FIREHOSE_CONNECTIONS, 100, 1, 1_000_000),
        settings.duration(
            PING_INTERVAL, Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(30)),
        ClientBudgets.from(settings),
        settings.duration(
            DOPPLER_CONNECT_TIMEOUT,
            Duration.ofSeconds(2),
            Duration.ofMillis(100),
            Duration.ofSeconds(60)),
        settings.duration(
            ZONE_QUERY_TIMEOUT,
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Duration.ofSeconds(60)),
        settings.duration(
            DOPPLER_REFRESH, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofHours(1)));
  }

  /** The dopplers of one zone. */
  public List<DopplerAddress> dopplersOf(String zoneName) {
    return dopplers.stream().filter(d -> d.zone().equals(zoneName)).toList();
  }

  /** The zones, in the order they are first listed. */
  public List<String> zones() {
    return dopplers.stream().map(DopplerAddress::zone).distinct().toList();
  }

  /** A one-line summary for the start-up log, without the secret. */
  public String summary() {
    return "zone "
        + zone
        + ", inbound UDP "
        + inboundAddress
        + ", dopplers "
        + dopplers
        + " (names resolved every "
        + dopplerRefresh.toSeconds()
        + " s)"
        + ", client queue "
        + clientQueue
        + ", token keys "
        + tokens.keySource()
        + ", sessions at most "
        + maxSessions
        + " ("
        + maxStreamsPerApp
        + " per app, "
        + maxFirehoseConnections
        + " per firehose subscription)";
  }
}
