package org.loggregator.doppler.drain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.loggregator.doppler.drain.address.AddressGuard;
import org.loggregator.doppler.drain.address.AddressPolicy;
import org.loggregator.doppler.drain.address.Cidr;
import org.loggregator.doppler.drain.address.Resolver;

/**
 * Address guards for writer tests, which connect to loopback test servers: loopback is allowed
 * explicitly, as an operator would, and names resolve through a stub, never through DNS.
 */
final class TestGuards {
  static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));

  /** The TLS writers' timer, on a daemon thread, for writers made without {@link DrainWriters}. */
  static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread t = new Thread(task, "test-drain-timer");
            t.setDaemon(true);
            return t;
          });

  private TestGuards() {}

  /** Loopback allowed; {@code localhost} is 127.0.0.1; other names are unknown. */
  static AddressGuard loopbackAllowed() {
    return guard(Map.of("localhost", new String[] {"127.0.0.1"}));
  }

  /** Loopback allowed; names resolve as the map says (address literals as themselves). */
  static AddressGuard guard(Map<String, String[]> names) {
    return new AddressGuard(
        stub(names), new AddressPolicy(LOOPBACK, List.of(), Set.of(), a -> false));
  }

  /** A resolver that never asks DNS: literals are parsed, names looked up in the map. */
  static Resolver stub(Map<String, String[]> names) {
    return host -> {
      String[] answer = names.get(host);
      if (answer == null) {
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9a-fA-F:.]+")) {
          throw new UnknownHostException("Unknown host " + host + " (test resolver).");
        }
        answer = new String[] {literal};
      }
      return Arrays.stream(answer).map(TestGuards::literal).toArray(InetAddress[]::new);
    };
  }

  /** An address literal, parsed without DNS. */
  static InetAddress literal(String text) {
    try {
      return InetAddress.getByName(text.indexOf(':') >= 0 ? "[" + text + "]" : text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
