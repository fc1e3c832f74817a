package org.loggregator.doppler.drain.address;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.loggregator.config.HostPort;

/**
 * Connects a drain only to addresses the {@link AddressPolicy} allows; immutable and thread-safe.
 * At every connection it resolves the host once, checks each address, and hands the {@link Dialer}
 * an address it checked (never the name, so nothing resolves it again and a DNS answer that changed
 * since the binding, or since the last connection, is caught). Denied addresses are skipped; the
 * allowed ones are tried in the resolver's order until one connects, at most {@value #MAX_DIALED}
 * of them, so that a name with hundreds of addresses that do not answer holds a connection attempt
 * for a few connect timeouts, not hundreds.
 */
public final class AddressGuard {
  /** Allowed addresses dialed per connection attempt, at most. */
  public static final int MAX_DIALED = 4;

  private final Resolver resolver;
  private final AddressPolicy policy;

  public AddressGuard(Resolver resolver, AddressPolicy policy) {
    this.resolver = resolver;
    this.policy = policy;
  }

  /**
   * Resolves, checks and connects.
   *
   * @param host the drain URL's host (a name, an IPv4 literal, or an IPv6 literal in brackets);
   *     whatever its spelling, the addresses it resolves to are what is checked
   * @throws DeniedAddressException when every address is denied (nothing was sent)
   * @throws UnknownHostException when the host has no address
   * @throws IOException the last dialed address's failure, when none connected
   */
  public <T> T connect(String host, int port, Dialer<T> dialer) throws IOException {
    InetAddress[] addresses = resolver.resolve(host);
    DeniedAddressException denied = null;
    IOException failed = null;
    int dialed = 0;
    for (InetAddress address : addresses) {
      if (dialed == MAX_DIALED) {
        break;
      }
      Denial denial = policy.check(address, port);
      if (denial != null) {
        if (denied == null) {
          denied =
              new DeniedAddressException(
                  denial, new HostPort(address.getHostAddress(), port).toString());
        }
        continue;
      }
      dialed++;
      try {
        return dialer.dial(new InetSocketAddress(address, port));
      } catch (IOException e) {
        failed = e;
        if (Thread.currentThread().isInterrupted()) {
          break; // the drain is closing: try no other address
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
    if (denied != null) {
      throw denied;
    }
    throw new UnknownHostException("No address for " + host + ".");
  }
}
