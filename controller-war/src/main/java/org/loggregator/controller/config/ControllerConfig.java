package org.loggregator.controller.config;

import java.util.List;
import org.loggregator.config.DopplerAddress;
import org.loggregator.config.HostPort;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.config.Settings;

/**
 * Everything a traffic controller is configured with, resolved and validated once at start-up. The
 * keys are the names of the {@code server.xml} variables.
 *
 * @param zone the zone this controller routes inbound envelopes into
 * @param sharedSecret HMAC key of signed datagrams and of requests to dopplers
 * @param inboundAddress where the inbound UDP listener binds
 * @param dopplers every doppler of every zone
 * @param clientQueue envelopes queued per client connection before it drops
 * @param tokenPublicKey location of the PEM public key that verifies bearer tokens
 * @param tokenIssuer the issuer ({@code iss}) every token must name
 * @param generateDevKeys whether to generate a development key pair when the key file is absent
 * @param pingInterval how often each client WebSocket is pinged
 */
public record ControllerConfig(
    String zone,
    String sharedSecret,
    HostPort inboundAddress,
    List<DopplerAddress> dopplers,
    int clientQueue,
    String tokenPublicKey,
    String tokenIssuer,
    boolean generateDevKeys,
    java.time.Duration pingInterval) {

  public static final String ZONE = "loggregator.zone";
  public static final String SHARED_SECRET = "loggregator.sharedSecret";
  public static final String INBOUND_BIND_ADDRESS = "controller.inboundBindAddress";
  public static final String INBOUND_PORT = "controller.inboundPort";
  public static final String DOPPLERS = "controller.dopplers";
  public static final String CLIENT_QUEUE = "controller.clientQueue";
  public static final String TOKEN_PUBLIC_KEY = "controller.tokenPublicKey";
  public static final String TOKEN_ISSUER = "controller.tokenIssuer";
  public static final String GENERATE_DEV_KEYS = "controller.generateDevKeys";
  public static final String PING_INTERVAL = "controller.pingInterval";

  /** Reads and validates every key; the first bad value throws, naming its key. */
  public static ControllerConfig from(Settings settings) {
    String zone = settings.name(ZONE, "z1");
    String secret = settings.secret(SHARED_SECRET, 8);
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
        settings.integer(CLIENT_QUEUE, 1000, 16, 1 << 20),
        settings.string(TOKEN_PUBLIC_KEY, "resources/security/token-public.pem"),
        settings.string(TOKEN_ISSUER, "loggregator"),
        settings.bool(GENERATE_DEV_KEYS, true),
        settings.duration(
            PING_INTERVAL,
            java.time.Duration.ofSeconds(30),
            java.time.Duration.ofSeconds(1),
            java.time.Duration.ofSeconds(30)));
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
        + ", client queue "
        + clientQueue;
  }
}
