package org.loggregator.controller.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.loggregator.config.DopplerAddress;
import org.loggregator.membership.NameResolver;

class DopplerMembershipTest {
  private final Map<String, String[]> dns = new HashMap<>();
  private final NameResolver resolver =
      host -> {
        String[] addresses = dns.get(host);
        if (addresses == null) {
          throw new UnknownHostException(host);
        }
        InetAddress[] out = new InetAddress[addresses.length];
        for (int i = 0; i < out.length; i++) {
          out[i] = InetAddress.getByAddress(host, InetAddress.getByName(addresses[i]).getAddress());
        }
        return out;
      };

  private static final List<DopplerAddress> CONFIGURED =
      DopplerAddress.parseList(
          "controller.dopplers",
          "z1 d1.bed:3458 http://d1.bed:8090/doppler; z2 d2.bed:3458 http://d2.bed:8090/doppler");

  @Test
  void shouldPublishANewDirectoryToEveryFollowerWhenADopplerJoins() {
    dns.put("d1.bed", new String[] {"10.9.0.1"});
    dns.put("d2.bed", new String[] {"10.9.1.1"});
    DopplerMembership membership = new DopplerMembership(CONFIGURED, resolver);
    List<DopplerDirectory> seen = new CopyOnWriteArrayList<>();
    membership.follow(seen::add);
    assertEquals(2, membership.directory().all().size());

    assertFalse(membership.refresh());
    dns.put("d1.bed", new String[] {"10.9.0.1", "10.9.0.2"});
    assertTrue(membership.refresh());

    assertEquals(1, seen.size());
    assertEquals(2, seen.get(0).of("z1").size());
    assertEquals(membership.directory(), seen.get(0));
  }

  @Test
  void shouldKeepAZoneWithNoDopplerAndOwnNothingThereWhenItsNameNeverResolved() {
    dns.put("d1.bed", new String[] {"10.9.0.1"});
    DopplerMembership membership = new DopplerMembership(CONFIGURED, resolver);

    DopplerDirectory directory = membership.directory();
    assertEquals(List.of("z1", "z2"), List.copyOf(directory.zones()));
    assertEquals(List.of("z2"), directory.emptyZones());
    assertEquals(1, directory.ownersOf("app-1").size());
    assertEquals(List.of("Cannot resolve d2.bed: d2.bed."), membership.failures());

    dns.put("d2.bed", new String[] {"10.9.1.1"});
    assertTrue(membership.refresh());
    assertEquals(2, membership.directory().ownersOf("app-1").size());
    assertTrue(membership.failures().isEmpty());
  }

  @Test
  void shouldKeepAnsweringWithTheLastDirectoryWhenTheResolverNeverAnswers() throws Exception {
    dns.put("d1.bed", new String[] {"10.9.0.1"});
    dns.put("d2.bed", new String[] {"10.9.1.1"});
    java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    boolean[] hang = {false};
    DopplerMembership membership =
        new DopplerMembership(
            CONFIGURED,
            host -> {
              if (hang[0]) {
                stuck.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return resolver.resolve(host);
            });
    DopplerDirectory before = membership.directory();
    hang[0] = true;
    Thread refresher = new Thread(membership::refresh, "stuck-refresh");
    refresher.start();
    try {
      assertTrue(stuck.await(10, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals(before, membership.directory(), "readers never wait for a lookup");
      assertEquals(2, membership.directory().ownersOf("app-1").size());
    } finally {
      release.countDown();
      refresher.join(10_000);
    }
  }
}
