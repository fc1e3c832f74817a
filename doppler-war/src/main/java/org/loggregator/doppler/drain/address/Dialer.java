package org.loggregator.doppler.drain.address;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Opens a connection to exactly the address given, which the {@link AddressGuard} has checked: the
 * address is resolved already, so connecting to it asks no resolver again.
 *
 * @param <T> the connection, such as a socket
 */
@FunctionalInterface
public interface Dialer<T> {
  /** Connects; on failure it closes what it opened and throws. */
  T dial(InetSocketAddress address) throws IOException;
}
