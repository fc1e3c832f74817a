package org.loggregator.membership;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.loggregator.config.HostPort;

/**
 * The members a list of configured entries stands for now. An entry whose host is an IP literal is
 * one member, always. An entry whose host is a DNS name stands for every address the name resolves
 * to, resolved again by each {@link #refresh()}: IPv4 addresses when it has any, else IPv6 ones (a
 * dual-stack name would otherwise count each member twice), sorted, at most {@link
 * #MAX_ADDRESSES_PER_NAME}, never a wildcard, multicast or broadcast address. A name that fails to
 * resolve keeps the addresses it last had, so that a DNS outage moves nothing; one that has never
 * resolved stands for no member until it does.
 *
 * <p>Thread-safe: {@link #refresh()} is meant for one background thread, {@link #current()} for
 * anyone.
 *
 * @param <E> a configured entry (a doppler's address, a host and port)
 */
public final class Membership<E> {

  /** The most addresses one name stands for; a hostile or broken DNS answer cannot grow past it. */
  public static final int MAX_ADDRESSES_PER_NAME = 256;

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final List<E> configured;
  private final Function<E, HostPort> hostPortOf;
  private final BiFunction<E, String, E> atAddress;
  private final NameResolver resolver;
  private final Map<String, List<String>> lastAddresses = new LinkedHashMap<>();
  private final Map<String, String> failing = new LinkedHashMap<>();
  private volatile List<E> current = List.of();

  /**
   * @param configured the entries as configured, in order
   * @param hostPortOf the host (name or literal) and port of an entry
   * @param atAddress the member an entry stands for at one of its name's addresses (an IP literal)
   * @param resolver resolves names
   */
  public Membership(
      List<E> configured,
      Function<E, HostPort> hostPortOf,
      BiFunction<E, String, E> atAddress,
      NameResolver resolver) {
    this.configured = List.copyOf(configured);
    this.hostPortOf = hostPortOf;
    this.atAddress = atAddress;
    this.resolver = resolver;
  }

  /** Whether {@code host} is an IPv4 or IPv6 literal rather than a name to resolve. */
  public static boolean isLiteral(String host) {
    return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
  }

  /** Whether any entry names a host to resolve, so that refreshing can change anything. */
  public boolean hasNames() {
    return configured.stream().anyMatch(e -> !isLiteral(hostPortOf.apply(e).host()));
  }

  /** The members as of the last {@link #refresh()}. */
  public List<E> current() {
    return current;
  }

  /**
   * The names that failed to resolve at the last refresh, each with why, in one sentence each;
   * empty when every name resolved.
   */
  public synchronized List<String> failures() {
    List<String> out = new ArrayList<>();
    failing.forEach((name, why) -> out.add("Cannot resolve " + name + ": " + why + "."));
    return out;
  }

  /**
   * Resolves every name again and recomputes the members.
   *
   * @return whether the members changed
   */
  public synchronized boolean refresh() {
    failing.clear();
    List<E> members = new ArrayList<>();
    for (E entry : configured) {
      String host = hostPortOf.apply(entry).host();
      if (isLiteral(host)) {
        members.add(entry);
        continue;
      }
      for (String address : addressesOf(host)) {
        members.add(atAddress.apply(entry, address));
      }
    }
    List<E> fresh = List.copyOf(members);
    boolean changed = !fresh.equals(current);
    current = fresh;
    return changed;
  }

  private List<String> addressesOf(String name) {
    try {
      InetAddress[] all = resolver.resolve(name);
      TreeSet<String> v4 = new TreeSet<>();
      TreeSet<String> v6 = new TreeSet<>();
      for (InetAddress a : all) {
        if (isUnicast(a)) {
          (a instanceof Inet4Address ? v4 : v6).add(a.getHostAddress());
        }
      }
      TreeSet<String> chosen = v4.isEmpty() ? v6 : v4;
      List<String> addresses =
          chosen.stream().limit(MAX_ADDRESSES_PER_NAME).map(Membership::withoutScope).toList();
      if (addresses.isEmpty()) {
        throw new UnknownHostException("no address");
      }
      lastAddresses.put(name, addresses);
      return addresses;
    } catch (UnknownHostException | RuntimeException e) {
      failing.put(
          name, e.getMessage() == null ? e.getClass().getSimpleName() : oneLine(e.getMessage()));
      return lastAddresses.getOrDefault(name, List.of());
    }
  }

  /**
   * Whether one doppler can be at {@code address}: not the wildcard (0.0.0.0, ::), not a multicast
   * group and not the IPv4 broadcast address, any of which a broken or hostile answer could give to
   * spray signed datagrams.
   */
  private static boolean isUnicast(InetAddress address) {
    byte[] b = address.getAddress();
    boolean broadcast = b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == (byte) 0xFF;
    return !address.isAnyLocalAddress() && !address.isMulticastAddress() && !broadcast;
  }

  private static String withoutScope(String address) {
    int percent = address.indexOf('%');
    return percent < 0 ? address : address.substring(0, percent);
  }

  private static String oneLine(String text) {
    String t = text.replaceAll("\\s+", " ").trim();
    return t.length() > 200 ? t.substring(0, 200) + "…" : t;
  }
}
