package org.loggregator.doppler.drain.address;

/**
 * Finds the IPv4 address inside the IPv6 forms that carry one, so that each is judged as that IPv4
 * address: IPv4-mapped ({@code ::ffff:0:0/96}), IPv4-compatible ({@code ::/96}), NAT64's well-known
 * prefix ({@code 64:ff9b::/96}) and 6to4 ({@code 2002::/16}, the address in bits 16 to 47).
 */
final class EmbeddedIpv4 {
  private static final Cidr MAPPED = Cidr.parse("::ffff:0:0/96");
  private static final Cidr COMPATIBLE = Cidr.parse("::/96");
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

  private EmbeddedIpv4() {}

  /** The 4 bytes of the embedded IPv4 address, or null when the IPv6 address carries none. */
  static byte[] of(byte[] address) {
    if (address.length != 16) {
      return null;
    }
    if (MAPPED.contains(address) || COMPATIBLE.contains(address) || NAT64.contains(address)) {
      return new byte[] {address[12], address[13], address[14], address[15]};
    }
    if (SIX_TO_FOUR.contains(address)) {
      return new byte[] {address[2], address[3], address[4], address[5]};
    }
    return null;
  }
}
