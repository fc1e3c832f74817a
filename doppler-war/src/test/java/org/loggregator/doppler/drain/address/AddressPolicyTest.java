package org.loggregator.doppler.drain.address;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {
  private static final Predicate<InetAddress> NOTHING_LOCAL = a -> false;

  private static AddressPolicy defaults() {
    return new AddressPolicy(List.of(), List.of(), Set.of(), NOTHING_LOCAL);
  }

  private static InetAddress ip(String literal) throws Exception {
    return CidrTest.ip(literal);
  }

  /** An IPv6 address with these 16 bytes, kept IPv6 (the JDK turns ::ffff:a.b.c.d into IPv4). */
  private static InetAddress ipv6(String literal) throws Exception {
    return Inet6Address.getByAddress(null, Cidr.literal(literal), null);
  }

  private static String denied(AddressPolicy policy, InetAddress address, int port) {
    Denial denial = policy.check(address, port);
    return denial == null ? "allowed" : denial.reason().tag() + " " + denial.range();
  }

  @Test
  void shouldDenyEveryDefaultClassWhenTheOperatorAllowsNothing() throws Exception {
    AddressPolicy policy = defaults();
    String[][] cases = {
      {"127.0.0.1", "loopback 127.0.0.0/8"},
      {"127.255.255.254", "loopback 127.0.0.0/8"},
      {"::1", "loopback ::1/128"},
      {"169.254.169.254", "link_local 169.254.0.0/16"},
      {"fe80::1", "link_local fe80::/10"},
      {"10.1.2.3", "private 10.0.0.0/8"},
      {"172.16.0.1", "private 172.16.0.0/12"},
      {"172.31.255.255", "private 172.16.0.0/12"},
      {"192.168.1.1", "private 192.168.0.0/16"},
      {"fd12:3456::1", "private fc00::/7"},
      {"fc00::1", "private fc00::/7"},
      {"fec0::1", "private fec0::/10"},
      {"100.64.0.1", "shared 100.64.0.0/10"},
      {"100.127.255.255", "shared 100.64.0.0/10"},
      {"224.0.0.1", "multicast 224.0.0.0/4"},
      {"239.255.255.255", "multicast 224.0.0.0/4"},
      {"ff02::1", "multicast ff00::/8"},
      {"0.0.0.0", "unspecified 0.0.0.0/32"},
      {"::", "unspecified ::/128"},
      {"255.255.255.255", "broadcast 255.255.255.255/32"},
      {"0.1.2.3", "reserved 0.0.0.0/8"},
      {"240.0.0.1", "reserved 240.0.0.0/4"},
    };
    for (String[] c : cases) {
      assertEquals(c[1], denied(policy, ip(c[0]), 514), c[0]);
    }
  }

  @Test
  void shouldAllowAPublicAddressWhenNoRuleDeniesIt() throws Exception {
    AddressPolicy policy = defaults();

    for (String publicAddress :
        new String[] {
          "203.0.113.7",
          "8.8.8.8",
          "100.63.255.255",
          "100.128.0.0",
          "172.32.0.1",
          "2001:db8::1",
          "2a00:1450::1",
          "64:ff9b::cb00:7107",
          "2002:cb00:7107::1"
        }) {
      assertEquals("allowed", denied(policy, ip(publicAddress), 514), publicAddress);
    }
  }

  @Test
  void shouldDenyTheIpv6FormsOfADeniedIpv4AddressWhenTheyCarryIt() throws Exception {
    AddressPolicy policy = defaults();

    assertEquals("private 10.0.0.0/8", denied(policy, ipv6("::ffff:10.1.2.3"), 514), "mapped");
    assertEquals("loopback 127.0.0.0/8", denied(policy, ipv6("::ffff:127.0.0.1"), 514), "mapped");
    assertEquals(
        "link_local 169.254.0.0/16", denied(policy, ipv6("::169.254.169.254"), 514), "compatible");
    assertEquals("private 192.168.0.0/16", denied(policy, ipv6("::c0a8:101"), 514), "compatible");
    assertEquals("loopback 127.0.0.0/8", denied(policy, ipv6("64:ff9b::7f00:1"), 514), "NAT64");
    assertEquals(
        "link_local 169.254.0.0/16", denied(policy, ipv6("64:ff9b::a9fe:a9fe"), 514), "NAT64");
    assertEquals("private 10.0.0.0/8", denied(policy, ipv6("2002:a01:203::1"), 514), "6to4");
    assertEquals("loopback 127.0.0.0/8", denied(policy, ipv6("2002:7f00:1::"), 514), "6to4");
    assertEquals("reserved 0.0.0.0/8", denied(policy, ipv6("::2"), 514), "compatible 0.0.0.2");
    assertEquals("allowed", denied(policy, ipv6("::ffff:203.0.113.7"), 514), "mapped public");
  }

  @Test
  void shouldAllowWhatTheOperatorAllowsAndDenyWhatTheOperatorDenies() throws Exception {
    AddressPolicy policy =
        new AddressPolicy(
            List.of(Cidr.parse("10.20.0.0/16"), Cidr.parse("127.0.0.0/8")),
            List.of(Cidr.parse("203.0.113.0/24"), Cidr.parse("2001:db8::/32")),
            Set.of(),
            NOTHING_LOCAL);

    assertEquals("allowed", denied(policy, ip("10.20.3.4"), 514));
    assertEquals("private 10.0.0.0/8", denied(policy, ip("10.21.3.4"), 514));
    assertEquals("allowed", denied(policy, ip("127.0.0.1"), 514));
    assertEquals("allowed", denied(policy, ipv6("::ffff:127.0.0.1"), 514), "as its IPv4 form");
    assertEquals("operator_deny 203.0.113.0/24", denied(policy, ip("203.0.113.7"), 514));
    assertEquals(
        "operator_deny 203.0.113.0/24",
        denied(policy, ipv6("64:ff9b::cb00:7107"), 514),
        "a denied IPv4 address through NAT64");
    assertEquals("operator_deny 2001:db8::/32", denied(policy, ip("2001:db8::5"), 514));
  }

  @Test
  void shouldApplyTheOperatorsMappedFormCidrsToIpv4AddressesWhenWrittenSo() throws Exception {
    AddressPolicy policy =
        new AddressPolicy(
            List.of(Cidr.parse("::ffff:127.0.0.0/104")),
            List.of(Cidr.parse("::ffff:203.0.113.7")),
            Set.of(),
            NOTHING_LOCAL);

    assertEquals("operator_deny ::ffff:203.0.113.7/128", denied(policy, ip("203.0.113.7"), 514));
    assertEquals("allowed", denied(policy, ip("127.0.0.1"), 514));
    assertEquals("private 10.0.0.0/8", denied(policy, ip("10.0.0.1"), 514));
  }

  @Test
  void shouldDenyLinkLocalWhenTheAddressCarriesAZone() throws Exception {
    InetAddress zoned = Inet6Address.getByAddress(null, Cidr.literal("fe80::1"), 2);

    assertEquals("link_local fe80::/10", denied(defaults(), zoned, 514));
  }

  @Test
  void shouldLetOperatorDenyWinOverOperatorAllowWhenBothMatch() throws Exception {
    AddressPolicy policy =
        new AddressPolicy(
            List.of(Cidr.parse("0.0.0.0/0")),
            List.of(Cidr.parse("169.254.169.254/32")),
            Set.of(),
            NOTHING_LOCAL);

    assertEquals("operator_deny 169.254.169.254/32", denied(policy, ip("169.254.169.254"), 80));
    assertEquals("allowed", denied(policy, ip("169.254.1.1"), 80), "allowed beats the default");
  }

  @Test
  void shouldDenyTheServersOwnSocketsWhenLoopbackIsAllowed() throws Exception {
    Predicate<InetAddress> local =
        a ->
            a.isLoopbackAddress()
                || a.isAnyLocalAddress()
                || a.getHostAddress().equals("192.0.2.10");
    AddressPolicy policy =
        new AddressPolicy(
            List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")),
            List.of(),
            Set.of(8080, 8081, 3458, 3456),
            local);

    assertEquals("own_socket port 8080", denied(policy, ip("127.0.0.1"), 8080));
    assertEquals("own_socket port 3458", denied(policy, ip("127.0.0.2"), 3458));
    assertEquals("own_socket port 3456", denied(policy, ip("::1"), 3456));
    assertEquals("own_socket port 8081", denied(policy, ip("0.0.0.0"), 8081));
    assertEquals("own_socket port 8081", denied(policy, ip("192.0.2.10"), 8081), "an interface");
    assertEquals("own_socket port 8080", denied(policy, ipv6("::ffff:127.0.0.1"), 8080));
    assertEquals("own_socket port 8080", denied(policy, ipv6("64:ff9b::7f00:1"), 8080));
    assertEquals("allowed", denied(policy, ip("127.0.0.1"), 5140), "another port");
    assertEquals("allowed", denied(policy, ip("203.0.113.7"), 8080), "another host's 8080");
  }

  @Test
  void shouldDenyOwnSocketsBeforeTheOperatorsListsWhenBothMatch() throws Exception {
    AddressPolicy policy =
        new AddressPolicy(
            List.of(Cidr.parse("127.0.0.0/8")),
            List.of(Cidr.parse("127.0.0.0/8")),
            Set.of(8080),
            InetAddress::isLoopbackAddress);

    assertEquals("own_socket port 8080", denied(policy, ip("127.0.0.1"), 8080));
    assertEquals("operator_deny 127.0.0.0/8", denied(policy, ip("127.0.0.1"), 514));
  }

  @Test
  void shouldDescribeADenialAsTheNoticeSaysIt() throws Exception {
    Denial denial = defaults().check(ip("10.1.2.3"), 514);

    assertEquals("private address (10.0.0.0/8)", denial.describe());
  }

  @Test
  void shouldTagEachDenialWithTheNamesTheDocumentsListWhenCounted() {
    assertEquals(
        List.of(
            "loopback",
            "link_local",
            "private",
            "shared",
            "multicast",
            "unspecified",
            "broadcast",
            "reserved",
            "own_socket",
            "operator_deny"),
        Arrays.stream(DenialReason.values()).map(DenialReason::tag).toList());
  }
}
