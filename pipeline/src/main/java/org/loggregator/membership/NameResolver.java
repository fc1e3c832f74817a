package org.loggregator.membership;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a host name to its addresses; tests stand in for the system resolver. */
@FunctionalInterface
public interface NameResolver {

  /** The JVM's resolver (DNS, or the file {@code -Djdk.net.hosts.file} names). */
  NameResolver SYSTEM = InetAddress::getAllByName;

  /**
   * Every address of {@code host}.
   *
   * @throws UnknownHostException when the name has no address now
   */
  InetAddress[] resolve(String host) throws UnknownHostException;
}
