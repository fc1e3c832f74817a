package org.loggregator.doppler.drain.address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * A block of IPv4 or IPv6 addresses, such as {@code 10.0.0.0/8} or {@code fc00::/7}; immutable.
 * Parsing never resolves a name: only address literals are accepted, and the bits after the prefix
 * must be zero (so that a typo such as {@code 10.1.0.0/8} is refused, not widened).
 *
 * <p>A block written in the IPv4-mapped form ({@code ::ffff:10.0.0.0/104}) stays IPv6 but also
 * contains the IPv4 addresses it maps ({@code 10.0.0.0/8}): the JDK resolves a mapped address to
 * its IPv4 form, so an operator's mapped block must match that form to mean anything.
 */
public final class Cidr {
  private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1};

  private final byte[] network;
  private final int prefix;
  private final String text;
  private final Cidr mappedIpv4;

  private Cidr(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
    this.mappedIpv4 = network.length == 16 && prefix >= 96 && isMapped(network) ? ipv4Of() : null;
  }

  private static boolean isMapped(byte[] network) {
    return Arrays.equals(network, 0, 12, MAPPED_PREFIX, 0, 12);
  }

  private Cidr ipv4Of() {
    byte[] ipv4 = Arrays.copyOfRange(network, 12, 16);
    return new Cidr(ipv4, prefix - 96, text);
  }

  /**
   * Parses {@code ADDRESS/PREFIX}, or a bare address as a block of one.
   *
   * @throws IllegalArgumentException with one sentence saying what is wrong
   */
  public static Cidr parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    int slash = t.indexOf('/');
    String address = slash < 0 ? t : t.substring(0, slash);
    byte[] bytes = literal(address);
    if (bytes == null) {
      throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 or IPv6 address.");
    }
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = t.substring(slash + 1);
      if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bits) {
        throw new IllegalArgumentException(
            "\"" + text + "\" has an invalid prefix length: use 0 to " + bits + ".");
      }
      prefix = Integer.parseInt(p);
    }
    for (int bit = prefix; bit < bits; bit++) {
      if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        throw new IllegalArgumentException(
            "\"" + text + "\" has bits set after its prefix length " + prefix + ".");
      }
    }
    return new Cidr(bytes, prefix, slash < 0 ? t + "/" + prefix : t);
  }

  /**
   * The bytes of an IPv4 dotted quad or an IPv6 literal, or null; never asks DNS. An IPv6 literal
   * that embeds an IPv4 address in the mapped form ({@code ::ffff:a.b.c.d}) stays 16 bytes.
   */
  static byte[] literal(String text) {
    if (text.isEmpty()) {
      return null;
    }
    if (text.indexOf(':') < 0) {
      return ipv4(text);
    }
    if (!text.matches("[0-9a-f:.]+")) {
      return null; // also refuses a zone such as %eth0
    }
    try {
      // In brackets, the JDK parses an IPv6 literal or refuses it, and never looks the text up.
      byte[] bytes = InetAddress.getByName("[" + text + "]").getAddress();
      if (bytes.length == 4) { // the JDK turns ::ffff:a.b.c.d into IPv4: keep the mapped form
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(bytes, 0, mapped, 12, 4);
        return mapped;
      }
      return bytes;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static byte[] ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (!part.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(part) > 255) {
        return null;
      }
      bytes[i] = (byte) Integer.parseInt(part);
    }
    return bytes;
  }

  /**
   * Whether the address is in this block; an address of the other family never is, except an IPv4
   * address in a block written in the mapped form.
   */
  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  /** Whether the address bytes (4 or 16) are in this block. */
  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return mappedIpv4 != null && mappedIpv4.contains(address);
    }
    int whole = prefix / 8;
    for (int i = 0; i < whole; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff00 >>> rest) & 0xff;
    return (address[whole] & mask) == (network[whole] & mask);
  }

  /** Whether this is an IPv4 block. */
  public boolean isIpv4() {
    return network.length == 4;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr other
        && prefix == other.prefix
        && Arrays.equals(network, other.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  /** The block as written (lower case), with its prefix length: {@code 10.0.0.0/8}. */
  @Override
  public String toString() {
    return text;
  }
}
