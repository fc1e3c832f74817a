package org.loggregator.doppler.drain.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The guard against a stubbed resolver and a dialer that only records the address it is given: no
 * test here opens a socket, so no packet leaves this process.
 */
class AddressGuardTest {
  private final List<InetSocketAddress> dialed = new ArrayList<>();
  private final AddressPolicy defaults =
      new AddressPolicy(List.of(), List.of(), Set.of(), a -> false);

  private static InetAddress[] answer(String... literals) throws UnknownHostException {
    InetAddress[] addresses = new InetAddress[literals.length];
    for (int i = 0; i < literals.length; i++) {
      addresses[i] = CidrTest.ip(literals[i]);
    }
    return addresses;
  }

  private String record(InetSocketAddress address) {
    dialed.add(address);
    return "connection to " + address.getAddress().getHostAddress();
  }

  @Test
  void shouldConnectOnlyToThePublicAddressWhenANameResolvesToPrivateAndPublic() throws Exception {
    AddressGuard guard = new AddressGuard(host -> answer("10.1.2.3", "203.0.113.7"), defaults);

    String connection = guard.connect("logs.example.com", 514, this::record);

    assertEquals("connection to 203.0.113.7", connection);
    assertEquals(List.of(new InetSocketAddress(answer("203.0.113.7")[0], 514)), dialed);
    assertFalse(dialed.get(0).isUnresolved(), "the dialer gets the checked address itself");
  }

  @Test
  void shouldCatchTheChangedAnswerAtTheNextConnectWhenDnsTurnsPrivate() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    Resolver rebinding =
        host -> lookups.getAndIncrement() == 0 ? answer("203.0.113.7") : answer("10.0.0.5");
    AddressGuard guard = new AddressGuard(rebinding, defaults);

    guard.connect("logs.example.com", 514, this::record);
    DeniedAddressException denied =
        assertThrows(
            DeniedAddressException.class,
            () -> guard.connect("logs.example.com", 514, this::record));

    assertEquals(2, lookups.get(), "resolved again at each connect");
    assertEquals(1, dialed.size(), "the private address was never dialed");
    assertEquals(new Denial(DenialReason.PRIVATE, "10.0.0.0/8"), denied.denial());
    assertEquals("Denied 10.0.0.5:514: private address (10.0.0.0/8).", denied.getMessage());
  }

  @Test
  void shouldResolveOnceAndDialTheCheckedAddressWhenConnecting() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    AddressGuard guard =
        new AddressGuard(
            host -> {
              lookups.incrementAndGet();
              return answer("203.0.113.7");
            },
            defaults);

    guard.connect("logs.example.com", 6514, this::record);

    assertEquals(1, lookups.get());
    assertEquals("203.0.113.7", dialed.get(0).getAddress().getHostAddress());
    assertEquals(6514, dialed.get(0).getPort());
  }

  @Test
  void shouldReportTheFirstDenialAndDialNothingWhenEveryAddressIsDenied() throws Exception {
    AddressGuard guard =
        new AddressGuard(host -> answer("169.254.169.254", "10.0.0.1", "::1"), defaults);

    DeniedAddressException denied =
        assertThrows(
            DeniedAddressException.class,
            () -> guard.connect("metadata.internal", 80, this::record));

    assertEquals(DenialReason.LINK_LOCAL, denied.denial().reason());
    assertEquals("link-local address (169.254.0.0/16)", denied.denial().describe());
    assertEquals(List.of(), dialed);
  }

  @Test
  void shouldTryTheNextAllowedAddressWhenOneDoesNotConnect() throws Exception {
    AddressGuard guard =
        new AddressGuard(host -> answer("203.0.113.7", "10.0.0.1", "198.51.100.9"), defaults);

    String connection =
        guard.connect(
            "logs.example.com",
            514,
            address -> {
              record(address);
              if (dialed.size() == 1) {
                throw new ConnectException("Connection refused");
              }
              return "connected";
            });

    assertEquals("connected", connection);
    assertEquals(2, dialed.size());
    assertEquals("198.51.100.9", dialed.get(1).getAddress().getHostAddress());
  }

  @Test
  void shouldThrowTheLastFailureWhenNoAllowedAddressConnects() throws Exception {
    AddressGuard guard = new AddressGuard(host -> answer("10.0.0.1", "203.0.113.7"), defaults);

    IOException e =
        assertThrows(
            ConnectException.class,
            () ->
                guard.connect(
                    "logs.example.com",
                    514,
                    address -> {
                      throw new ConnectException("Connection refused");
                    }));

    assertEquals("Connection refused", e.getMessage());
  }

  /** Addresses 203.0.113.0 onwards (public as far as the policy knows), built without DNS. */
  private static InetAddress[] publicAddresses(int count) throws UnknownHostException {
    InetAddress[] addresses = new InetAddress[count];
    for (int i = 0; i < count; i++) {
      addresses[i] =
          InetAddress.getByAddress(new byte[] {(byte) 203, 0, (byte) (113 + i / 256), (byte) i});
    }
    return addresses;
  }

  @Test
  void shouldDialAFewAddressesOnlyWhenANameResolvesToHundredsThatDoNotAnswer() throws Exception {
    AddressGuard guard = new AddressGuard(host -> publicAddresses(500), defaults);

    ConnectException e =
        assertThrows(
            ConnectException.class,
            () ->
                guard.connect(
                    "many.example.com",
                    514,
                    address -> {
                      record(address);
                      throw new ConnectException("timed out " + dialed.size());
                    }));

    assertEquals(AddressGuard.MAX_DIALED, dialed.size());
    assertEquals("timed out " + AddressGuard.MAX_DIALED, e.getMessage(), "the last one dialed");
  }

  @Test
  void shouldStillReachTheAllowedAddressWhenHundredsOfDeniedOnesComeFirst() throws Exception {
    InetAddress[] answer = new InetAddress[301];
    for (int i = 0; i < 300; i++) {
      answer[i] = InetAddress.getByAddress(new byte[] {10, 0, (byte) (i / 256), (byte) i});
    }
    answer[300] = publicAddresses(1)[0];
    AddressGuard guard = new AddressGuard(host -> answer, defaults);

    String connection = guard.connect("mixed.example.com", 514, this::record);

    assertEquals("connection to 203.0.113.0", connection);
    assertEquals(1, dialed.size(), "denied addresses are checked, never dialed");
  }

  /**
   * Loopback as a system resolver answers for the spellings it accepts: glibc's inet_aton takes
   * short, hexadecimal, octal and single-number IPv4 forms, a final dot, any case. Built from bytes
   * here, so no name is ever looked up.
   */
  private static InetAddress[] asTheSystemResolves(String host) throws UnknownHostException {
    byte[] v4Loopback = {127, 0, 0, 1};
    byte[] v6 = new byte[16];
    switch (host) {
      case "127.1",
          "0x7f.1",
          "0x7f000001",
          "2130706433",
          "0177.0.0.1",
          "017700000001",
          "127.0.0.1.",
          "localhost.",
          "LOCALHOST",
          "127.000.000.001" -> {
        return new InetAddress[] {InetAddress.getByAddress(host, v4Loopback)};
      }
      case "[::1]", "[0:0:0:0:0:0:0:1]" -> v6[15] = 1;
      case "[::ffff:127.0.0.1]" -> {
        v6[10] = -1;
        v6[11] = -1;
        System.arraycopy(v4Loopback, 0, v6, 12, 4);
      }
      case "[::127.0.0.1]" -> System.arraycopy(v4Loopback, 0, v6, 12, 4);
      case "[64:ff9b::7f00:1]" -> {
        v6[1] = 0x64;
        v6[2] = -1;
        v6[3] = -101;
        System.arraycopy(v4Loopback, 0, v6, 12, 4);
      }
      case "[2002:7f00:1::]" -> {
        v6[0] = 0x20;
        v6[1] = 0x02;
        System.arraycopy(v4Loopback, 0, v6, 2, 4);
      }
      default -> throw new UnknownHostException(host);
    }
    return new InetAddress[] {Inet6Address.getByAddress(host, v6, null)};
  }

  @Test
  void shouldDenyLoopbackHoweverTheHostSpellsItWhenLoopbackIsNotAllowed() throws Exception {
    AddressGuard guard = new AddressGuard(AddressGuardTest::asTheSystemResolves, defaults);

    for (String host :
        new String[] {
          "127.1",
          "0x7f.1",
          "0x7f000001",
          "2130706433",
          "0177.0.0.1",
          "017700000001",
          "127.0.0.1.",
          "localhost.",
          "LOCALHOST",
          "127.000.000.001",
          "[::1]",
          "[0:0:0:0:0:0:0:1]",
          "[::ffff:127.0.0.1]",
          "[::127.0.0.1]",
          "[64:ff9b::7f00:1]",
          "[2002:7f00:1::]"
        }) {
      DeniedAddressException denied =
          assertThrows(
              DeniedAddressException.class, () -> guard.connect(host, 514, this::record), host);
      assertEquals(DenialReason.LOOPBACK, denied.denial().reason(), host);
    }
    assertEquals(List.of(), dialed);
  }

  @Test
  void shouldNameAnIpv6AddressInBracketsWhenTellingTheOperatorItWasDenied() throws Exception {
    AddressGuard guard =
        new AddressGuard(
            host -> new InetAddress[] {Inet6Address.getByAddress(null, Cidr.literal("fe80::1"), 2)},
            defaults);

    DeniedAddressException denied =
        assertThrows(
            DeniedAddressException.class, () -> guard.connect("[fe80::1%eth0]", 514, this::record));

    assertEquals(DenialReason.LINK_LOCAL, denied.denial().reason());
    assertEquals(
        "Denied [fe80:0:0:0:0:0:0:1%2]:514: link-local address (fe80::/10).", denied.getMessage());
  }

  @Test
  void shouldPassTheResolversFailureOnWhenTheHostIsUnknown() {
    AddressGuard guard =
        new AddressGuard(
            host -> {
              throw new UnknownHostException(host);
            },
            defaults);

    assertThrows(
        UnknownHostException.class, () -> guard.connect("nowhere.invalid", 514, this::record));
    assertEquals(List.of(), dialed);
  }
}
