package org.loggregator.doppler.drain.address;

import java.util.List;

/**
 * The address classes no drain may reach unless the operator allows them: loopback, link-local,
 * private, shared (carrier-grade NAT), multicast, unspecified, broadcast and reserved, in IPv4 and
 * IPv6, and every IPv6 form that carries a denied IPv4 address inside it (IPv4-mapped {@code
 * ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96} and 6to4 {@code
 * 2002::/16}). Immutable.
 */
final class DefaultDenied {
  private record Range(Cidr cidr, DenialReason reason) {}

  /** Most specific first: the first match decides. */
  private static final List<Range> IPV4 =
      List.of(
          range("0.0.0.0/32", DenialReason.UNSPECIFIED),
          range("255.255.255.255/32", DenialReason.BROADCAST),
          range("0.0.0.0/8", DenialReason.RESERVED),
          range("10.0.0.0/8", DenialReason.PRIVATE),
          range("100.64.0.0/10", DenialReason.SHARED),
          range("127.0.0.0/8", DenialReason.LOOPBACK),
          range("169.254.0.0/16", DenialReason.LINK_LOCAL),
          range("172.16.0.0/12", DenialReason.PRIVATE),
          range("192.168.0.0/16", DenialReason.PRIVATE),
          range("224.0.0.0/4", DenialReason.MULTICAST),
          range("240.0.0.0/4", DenialReason.RESERVED));

  private static final List<Range> IPV6 =
      List.of(
          range("::/128", DenialReason.UNSPECIFIED),
          range("::1/128", DenialReason.LOOPBACK),
          range("fe80::/10", DenialReason.LINK_LOCAL),
          range("fec0::/10", DenialReason.PRIVATE), // site-local: deprecated, still internal
          range("fc00::/7", DenialReason.PRIVATE),
          range("ff00::/8", DenialReason.MULTICAST));

  private DefaultDenied() {}

  private static Range range(String cidr, DenialReason reason) {
    return new Range(Cidr.parse(cidr), reason);
  }

  /**
   * The denial of an address (4 or 16 bytes) by its class, or null when it is in none. An IPv6
   * address that embeds an IPv4 address is denied as that IPv4 address would be.
   *
   * @param embedded the IPv4 address inside it ({@link EmbeddedIpv4#of}), or null
   */
  static Denial check(byte[] address, byte[] embedded) {
    if (address.length == 4) {
      return match(IPV4, address);
    }
    Denial own = match(IPV6, address);
    if (own != null) {
      return own;
    }
    return embedded == null ? null : match(IPV4, embedded);
  }

  private static Denial match(List<Range> ranges, byte[] address) {
    for (Range range : ranges) {
      if (range.cidr().contains(address)) {
        return new Denial(range.reason(), range.cidr().toString());
      }
    }
    return null;
  }
}
