package org.loggregator.doppler.drain.address;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.function.Predicate;

/**
 * Whether an address is this host's own: loopback, unspecified (which reaches this host), or bound
 * to one of its network interfaces. Asked only for a connection to one of the server's own ports.
 */
public final class LocalAddresses implements Predicate<InetAddress> {
  /** This host's interfaces, as they are at each question. */
  public static final LocalAddresses SYSTEM = new LocalAddresses();

  private LocalAddresses() {}

  /** True when local; also when the interfaces cannot be listed, to deny rather than allow. */
  @Override
  public boolean test(InetAddress address) {
    if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
      return true;
    }
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return true;
    }
  }
}
