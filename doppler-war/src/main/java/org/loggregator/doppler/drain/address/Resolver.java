package org.loggregator.doppler.drain.address;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a drain's host to its addresses. Tests stub it; drains use {@link #SYSTEM}. */
@FunctionalInterface
public interface Resolver {
  /** The JDK's resolver (its cache, then the system's): {@link InetAddress#getAllByName}. */
  Resolver SYSTEM = InetAddress::getAllByName;

  /**
   * Every address of the host, in the order to try them; a literal address is returned as it is.
   *
   * @throws UnknownHostException when the host has no address
   */
  InetAddress[] resolve(String host) throws UnknownHostException;
}
