package org.loggregator.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One doppler as the rest of the system addresses it: the zone it serves, the UDP address that
 * agents and controllers send signed envelopes to (also its identity for sharding), and the base
 * URL of its internal HTTP/WebSocket endpoints.
 *
 * <p>Written in configuration as {@code ZONE UDP_HOST:PORT BASE_URL}, several separated by
 * semicolons: {@code z1 127.0.0.1:3458 http://127.0.0.1:8080/doppler; z2 10.0.2.7:3458
 * http://10.0.2.7:8080/doppler}.
 */
public record DopplerAddress(String zone, HostPort udp, URI baseUrl) {

  /** The key rendezvous hashing uses: the UDP address, identical in agents and controllers. */
  public String shardKey() {
    return udp.toString();
  }

  /**
   * This doppler at one address its UDP host name resolved to: the UDP host becomes {@code
   * address}, and so does the base URL's host when it is the same name (a headless Service names
   * every doppler behind it with one name).
   */
  public DopplerAddress at(String address) {
    HostPort at = new HostPort(address, udp.port());
    if (!udp.host().equalsIgnoreCase(baseUrl.getHost())) {
      return new DopplerAddress(zone, at, baseUrl);
    }
    try {
      String host = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
      URI url =
          new URI(
              baseUrl.getScheme(),
              baseUrl.getUserInfo(),
              host,
              baseUrl.getPort(),
              baseUrl.getPath(),
              baseUrl.getQuery(),
              baseUrl.getFragment());
      return new DopplerAddress(zone, at, url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Not an IP address: " + address, e);
    }
  }

  /** Parses a semicolon-separated list; the message of the exception says what is wrong. */
  public static List<DopplerAddress> parseList(String key, String text) {
    List<DopplerAddress> result = new ArrayList<>();
    for (String entry : text.split(";")) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      result.add(
          parse(e)
              .orElseThrow(
                  () ->
                      new InvalidSettingException(
                          key,
                          "Configuration value "
                              + key
                              + " must list dopplers as \"ZONE HOST:UDP_PORT http://HOST:PORT/doppler\""
                              + " separated by semicolons, but has \""
                              + e
                              + "\".")));
    }
    if (result.isEmpty()) {
      throw new InvalidSettingException(
          key, "Configuration value " + key + " must list at least one doppler, but is empty.");
    }
    return List.copyOf(result);
  }

  static Optional<DopplerAddress> parse(String entry) {
    String[] parts = entry.trim().split("\\s+");
    if (parts.length != 3 || !parts[0].matches("[A-Za-z0-9_.-]+")) {
      return Optional.empty();
    }
    Optional<HostPort> udp = HostPort.parse(parts[1]);
    if (udp.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI url = new URI(parts[2]);
      if (url.getHost() == null
          || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
        return Optional.empty();
      }
      String base =
          parts[2].endsWith("/") ? parts[2].substring(0, parts[2].length() - 1) : parts[2];
      return Optional.of(new DopplerAddress(parts[0], udp.get(), new URI(base)));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return zone + " " + udp + " " + baseUrl;
  }
}
