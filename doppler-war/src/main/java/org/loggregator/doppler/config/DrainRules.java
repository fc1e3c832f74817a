package org.loggregator.doppler.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.config.Settings;
import org.loggregator.doppler.drain.address.Cidr;

/**
 * Which addresses drains may connect to, and whether envelopes may bind drains by their tag
 * (docs/DRAINS.md, "Where drains may connect").
 *
 * @param allowCidrs the operator's allow list ({@code doppler.drainAllowCidrs}): addresses in it
 *     may be reached even if their class is denied by default
 * @param denyCidrs the operator's deny list ({@code doppler.drainDenyCidrs}), which wins over the
 *     allow list
 * @param bindFromTags whether envelopes' {@code drain_urls} tags bind drains ({@code
 *     drain.bindFromTags})
 * @param ownPorts the server's own ports ({@code http.port}, {@code https.port}, {@code
 *     doppler.udpPort}, and {@code controller.inboundPort} when set): no drain may connect to a
 *     local address on one of them, whatever the lists say
 */
public record DrainRules(
    List<Cidr> allowCidrs, List<Cidr> denyCidrs, boolean bindFromTags, Set<Integer> ownPorts) {

  public static final String ALLOW_CIDRS = "doppler.drainAllowCidrs";
  public static final String DENY_CIDRS = "doppler.drainDenyCidrs";
  public static final String BIND_FROM_TAGS = "drain.bindFromTags";
  public static final String HTTP_PORT = "http.port";
  public static final String HTTPS_PORT = "https.port";
  public static final String CONTROLLER_INBOUND_PORT = "controller.inboundPort";

  public DrainRules {
    allowCidrs = List.copyOf(allowCidrs);
    denyCidrs = List.copyOf(denyCidrs);
    ownPorts = Set.copyOf(ownPorts);
  }

  /** Reads and validates the drain rules; the first bad value throws, naming its key. */
  public static DrainRules from(Settings settings) {
    Set<Integer> ports = new TreeSet<>();
    // Liberty's own defaults when a server.xml does not set them; -1 turns a port off.
    addPort(ports, settings.integer(HTTP_PORT, 9080, -1, 65535));
    addPort(ports, settings.integer(HTTPS_PORT, 9443, -1, 65535));
    addPort(ports, settings.port(DopplerConfig.UDP_PORT, 3458, true));
    addPort(ports, settings.integer(CONTROLLER_INBOUND_PORT, 0, 0, 65535));
    return new DrainRules(
        cidrs(settings, ALLOW_CIDRS),
        cidrs(settings, DENY_CIDRS),
        settings.bool(BIND_FROM_TAGS, true),
        ports);
  }

  private static void addPort(Set<Integer> ports, int port) {
    if (port > 0) {
      ports.add(port);
    }
  }

  private static List<Cidr> cidrs(Settings settings, String key) {
    List<Cidr> cidrs = new ArrayList<>();
    for (String item : settings.list(key)) {
      try {
        cidrs.add(Cidr.parse(item));
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException(
            key,
            "Configuration value "
                + key
                + " must be comma-separated IPv4 or IPv6 CIDRs such as 10.0.0.0/8 or fd00::/8,"
                + " but "
                + e.getMessage());
      }
    }
    return cidrs;
  }

  /** A one-line summary for the start-up log. */
  public String summary() {
    return "drains may reach: allowed "
        + (allowCidrs.isEmpty() ? "(none)" : allowCidrs)
        + ", denied "
        + (denyCidrs.isEmpty() ? "(none)" : denyCidrs)
        + ", own ports "
        + new TreeSet<>(ownPorts)
        + "; binding from drain_urls tags "
        + (bindFromTags ? "on" : "off");
  }
}
