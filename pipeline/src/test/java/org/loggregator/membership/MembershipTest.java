package org.loggregator.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.loggregator.config.DopplerAddress;

class MembershipTest {
  private final Map<String, List<String>> dns = new HashMap<>();

  private final NameResolver stub =
      host -> {
        List<String> addresses = dns.get(host);
        if (addresses == null) {
          throw new UnknownHostException(host + ": Name or service not known");
        }
        InetAddress[] out = new InetAddress[addresses.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] =
              InetAddress.getByAddress(host, InetAddress.getByName(addresses.get(i)).getAddress());
        }
        return out;
      };

  private Membership<DopplerAddress> membership(String list) {
    return new Membership<>(
        DopplerAddress.parseList("k", list), DopplerAddress::udp, DopplerAddress::at, stub);
  }

  private static List<String> described(List<DopplerAddress> members) {
    return members.stream().map(DopplerAddress::toString).toList();
  }

  @Test
  void shouldExpandANameToEveryAddressWithTheBaseUrlAtEachWhenTheUrlUsesTheSameName() {
    dns.put("dopplers.z1", List.of("10.9.0.12", "10.9.0.11"));
    Membership<DopplerAddress> m =
        membership(
            "z1 dopplers.z1:3458 http://dopplers.z1:8090/doppler; z2 10.9.1.5:3458 http://10.9.1.5:8090/doppler");
    assertTrue(m.refresh());
    assertEquals(
        List.of(
            "z1 10.9.0.11:3458 http://10.9.0.11:8090/doppler",
            "z1 10.9.0.12:3458 http://10.9.0.12:8090/doppler",
            "z2 10.9.1.5:3458 http://10.9.1.5:8090/doppler"),
        described(m.current()));
    assertTrue(m.hasNames());
  }

  @Test
  void shouldReportAChangeOnlyWhenTheAddressesChangeWhenRefreshedAgain() {
    dns.put("d", List.of("10.9.0.1"));
    Membership<DopplerAddress> m = membership("z1 d:3458 http://d:8090/doppler");
    assertTrue(m.refresh());
    assertFalse(m.refresh());
    dns.put("d", List.of("10.9.0.1", "10.9.0.2"));
    assertTrue(m.refresh());
    assertEquals(2, m.current().size());
    dns.put("d", List.of("10.9.0.2"));
    assertTrue(m.refresh());
    assertEquals(List.of("z1 10.9.0.2:3458 http://10.9.0.2:8090/doppler"), described(m.current()));
  }

  @Test
  void shouldKeepTheLastAddressesAndSayWhyWhenTheNameStopsResolving() {
    dns.put("d", List.of("10.9.0.1"));
    Membership<DopplerAddress> m = membership("z1 d:3458 http://d:8090/doppler");
    m.refresh();
    dns.remove("d");
    assertFalse(m.refresh());
    assertEquals(1, m.current().size());
    assertEquals(List.of("Cannot resolve d: d: Name or service not known."), m.failures());
    dns.put("d", List.of("10.9.0.1"));
    m.refresh();
    assertTrue(m.failures().isEmpty());
  }

  @Test
  void shouldStandForNoMemberUntilANameFirstResolvesWhenItNeverDid() {
    Membership<DopplerAddress> m = membership("z1 d:3458 http://d:8090/doppler");
    assertFalse(m.refresh());
    assertTrue(m.current().isEmpty());
    assertEquals(1, m.failures().size());
  }

  @Test
  void shouldPreferIpv4AndDropZoneIdsWhenANameHasBothFamilies() throws Exception {
    dns.put("d", List.of("fd00::2", "10.9.0.1"));
    Membership<DopplerAddress> m = membership("z1 d:3458 http://d:8090/doppler");
    m.refresh();
    assertEquals(List.of("z1 10.9.0.1:3458 http://10.9.0.1:8090/doppler"), described(m.current()));
    dns.put("d", List.of("fd00::2"));
    m.refresh();
    assertEquals(
        List.of("z1 [fd00:0:0:0:0:0:0:2]:3458 http://[fd00:0:0:0:0:0:0:2]:8090/doppler"),
        described(m.current()));
  }

  @Test
  void shouldKeepTheBaseUrlWhenItNamesAnotherHostThanTheUdpName() {
    dns.put("d", List.of("10.9.0.1"));
    Membership<DopplerAddress> m = membership("z1 d:3458 https://gateway.example:443/doppler");
    m.refresh();
    assertEquals(
        List.of("z1 10.9.0.1:3458 https://gateway.example:443/doppler"), described(m.current()));
  }

  @Test
  void shouldCapTheAddressesOfOneNameWhenAnAnswerIsHuge() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      many.add("10.9." + (i / 250) + "." + (i % 250 + 1));
    }
    dns.put("d", many);
    Membership<DopplerAddress> m = membership("z1 d:3458 http://d:8090/doppler");
    m.refresh();
    assertEquals(Membership.MAX_ADDRESSES_PER_NAME, m.current().size());
  }

  @Test
  void shouldNeverResolveLiteralsWhenTheListHasNoName() {
    Membership<DopplerAddress> m =
        new Membership<>(
            DopplerAddress.parseList(
                "k",
                "z1 127.0.0.1:3458 http://127.0.0.1:8090/doppler; z1 [::1]:3459 http://[::1]:8090/doppler"),
            DopplerAddress::udp,
            DopplerAddress::at,
            host -> {
              throw new AssertionError("resolved " + host);
            });
    assertTrue(m.refresh());
    assertEquals(2, m.current().size());
    assertFalse(m.hasNames());
    assertTrue(Membership.isLiteral("fe80::1"));
    assertFalse(Membership.isLiteral("doppler-0.headless.svc"));
    assertFalse(Membership.isLiteral("1.2.3.4.nip.example"));
  }

  @Test
  void shouldIgnoreWildcardMulticastAndBroadcastAddressesWhenAnAnswerHasThem() {
    dns.put("d", List.of("0.0.0.0", "224.0.0.1", "255.255.255.255", "::", "ff02::1", "10.9.0.7"));
    Membership<DopplerAddress> m = membership("z1 d:3458 http://d:8090/doppler");
    m.refresh();
    assertEquals(List.of("z1 10.9.0.7:3458 http://10.9.0.7:8090/doppler"), described(m.current()));

    dns.put("d", List.of("0.0.0.0", "239.1.2.3"));
    m.refresh();
    assertEquals(
        List.of("z1 10.9.0.7:3458 http://10.9.0.7:8090/doppler"),
        described(m.current()),
        "an answer with no usable address counts as a failure: the last addresses stay");
    assertEquals(1, m.failures().size());
  }
}
