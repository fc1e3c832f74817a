package org.loggregator.doppler.drain.address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which addresses a drain may connect to; immutable and thread-safe. The first rule that matches
 * decides:
 *
 * <ol>
 *   <li>the server's own sockets are denied: a local address (loopback, unspecified, or one of a
 *       local interface) with one of the server's own ports, even where loopback is allowed;
 *   <li>the operator's deny CIDRs;
 *   <li>the operator's allow CIDRs;
 *   <li>the classes denied by default (loopback, link-local, private, shared, multicast,
 *       unspecified, broadcast, reserved);
 *   <li>anything else is allowed.
 * </ol>
 *
 * <p>An IPv6 address that carries an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4) is
 * judged by every rule as that IPv4 address too: it is denied if either is, at the first rule that
 * denies, and allowed by the operator if either is in an allow CIDR.
 */
public final class AddressPolicy {
  private final List<Cidr> allow;
  private final List<Cidr> deny;
  private final Set<Integer> ownPorts;
  private final Predicate<InetAddress> isLocal;

  /**
   * @param allow the operator's allow CIDRs
   * @param deny the operator's deny CIDRs
   * @param ownPorts the server's own ports (HTTP, HTTPS, UDP listeners)
   * @param isLocal whether an address is this host's own, such as {@link LocalAddresses#SYSTEM}
   */
  public AddressPolicy(
      List<Cidr> allow, List<Cidr> deny, Set<Integer> ownPorts, Predicate<InetAddress> isLocal) {
    this.allow = List.copyOf(allow);
    this.deny = List.copyOf(deny);
    this.ownPorts = Set.copyOf(ownPorts);
    this.isLocal = isLocal;
  }

  /**
   * Why a connection to this address and port is denied, or null when it is allowed.
   *
   * @param address an address the drain's host resolved to
   * @param port the drain's port
   */
  public Denial check(InetAddress address, int port) {
    byte[] bytes = address.getAddress();
    byte[] embedded = EmbeddedIpv4.of(bytes);
    if (ownPorts.contains(port) && (isLocal.test(address) || isLocal(embedded))) {
      return new Denial(DenialReason.OWN_SOCKET, "port " + port);
    }
    Cidr denied = firstMatch(deny, bytes, embedded);
    if (denied != null) {
      return new Denial(DenialReason.OPERATOR_DENY, denied.toString());
    }
    if (firstMatch(allow, bytes, embedded) != null) {
      return null;
    }
    return DefaultDenied.check(bytes, embedded);
  }

  private boolean isLocal(byte[] ipv4) {
    if (ipv4 == null) {
      return false;
    }
    try {
      return isLocal.test(InetAddress.getByAddress(ipv4));
    } catch (UnknownHostException cannotHappen) { // four bytes are always an address
      return true;
    }
  }

  private static Cidr firstMatch(List<Cidr> cidrs, byte[] address, byte[] embedded) {
    for (Cidr cidr : cidrs) {
      if (cidr.contains(address) || (embedded != null && cidr.contains(embedded))) {
        return cidr;
      }
    }
    return null;
  }
}
