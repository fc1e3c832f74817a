package org.loggregator.doppler.drain.address;

/**
 * Why a drain may not connect to an address: one of the classes denied by default, the server's own
 * socket, or the operator's deny list. Its {@link #tag} is the {@code reason} tag of {@code
 * drain.deniedConnections}; its {@link #description} is what the app's notice says.
 */
public enum DenialReason {
  LOOPBACK("loopback", "loopback address"),
  LINK_LOCAL("link_local", "link-local address"),
  PRIVATE("private", "private address"),
  SHARED("shared", "shared address (carrier-grade NAT)"),
  MULTICAST("multicast", "multicast address"),
  UNSPECIFIED("unspecified", "unspecified address"),
  BROADCAST("broadcast", "broadcast address"),
  RESERVED("reserved", "reserved address"),
  OWN_SOCKET("own_socket", "this server's own socket"),
  OPERATOR_DENY("operator_deny", "address denied by the operator");

  private final String tag;
  private final String description;

  DenialReason(String tag, String description) {
    this.tag = tag;
    this.description = description;
  }

  /** The metric tag value, such as {@code link_local}. */
  public String tag() {
    return tag;
  }

  /** Words for the notice, such as {@code private address}. */
  public String description() {
    return description;
  }
}
