package org.loggregator.doppler.drain.address;

import java.util.Locale;

/**
 * Why a drain may not connect to an address: one of the classes denied by default, the server's own
 * socket, or the operator's deny list. Its {@link #tag}, its name in lower case, is the {@code
 * reason} tag of {@code drain.deniedConnections}; its {@link #description} is what the app's notice
 * says.
 */
public enum DenialReason {
  LOOPBACK("loopback address"),
  LINK_LOCAL("link-local address"),
  PRIVATE("private address"),
  SHARED("shared address (carrier-grade NAT)"),
  MULTICAST("multicast address"),
  UNSPECIFIED("unspecified address"),
  BROADCAST("broadcast address"),
  RESERVED("reserved address"),
  OWN_SOCKET("this server's own socket"),
  OPERATOR_DENY("address denied by the operator");

  private final String tag = name().toLowerCase(Locale.ROOT);
  private final String description;

  DenialReason(String description) {
    this.description = description;
  }

  /** The metric tag value: the name in lower case, such as {@code link_local}. */
  public String tag() {
    return tag;
  }

  /** Words for the notice, such as {@code private address}. */
  public String description() {
    return description;
  }
}
