package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loggregator.metrics.MetricName;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.events.Envelope;

/**
 * The three ways a drain is bound (tags, the operator's configuration, the admin API), binding by
 * tag turned off, and the per-app cap.
 */
class DrainBindingSourcesTest {
  private static final String APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";
  private static final String OTHER_APP = "0d7c9a7e-1111-4d2b-8f0e-abcdefabcdef";
  private static final Duration TTL = Duration.ofMinutes(10);

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final DrainCounters counters = new DrainCounters(MetricName.localCounters(), Map.of());
  private final List<String> notices = new CopyOnWriteArrayList<>();
  private final EnvelopeReader reader = new EnvelopeReader();
  private final RoutingFields fields = new RoutingFields();
  private DrainRegistry registry = registry(5, 1000, true);

  @AfterEach
  void close() {
    registry.close(5000);
  }

  private DrainRegistry registry(int maxPerApp, int maxDrains, boolean bindFromTags) {
    return new DrainRegistry(
        new DrainRegistry.Limits(
            100, TTL, maxPerApp, maxDrains, "loggregator", Long.MAX_VALUE, bindFromTags),
        url -> new FakeDrainWriter(),
        Thread::new,
        counters,
        (appId, envelope) -> notices.add(text(envelope)),
        "doppler",
        clock::get,
        () -> TestBackoffs.fast());
  }

  private static String text(byte[] envelope) {
    try {
      return Envelope.parseFrom(envelope).getLogMessage().getMessage().toStringUtf8();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private void offer(String appId, String drainUrls) {
    byte[] envelope = DrainRegistryTest.log(appId, "line", drainUrls);
    assertEquals(ReadResult.OK, reader.read(envelope, 0, envelope.length, fields));
    registry.offer(envelope, fields);
  }

  private List<String> urlsOf(String appId) {
    List<String> urls = new ArrayList<>();
    for (Drain drain : registry.drainsOf(appId)) {
      urls.add(drain.url().redacted());
    }
    return urls;
  }

  private static List<String> syslogUrls(int n) {
    List<String> urls = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      urls.add("syslog://logs" + i + ".example.com:514");
    }
    return urls;
  }

  @Test
  void shouldBindAtMostFiveDrainsPerAppWhenATagNamesMore() {
    offer(APP, String.join(" ", syslogUrls(6)));

    assertEquals(5, registry.drainsOf(APP).size());
    assertEquals(1, counters.refusals(DrainCounters.Refusal.APP_LIMIT));
    assertEquals(
        List.of(
            "Syslog drain syslog://logs6.example.com:514 is not bound: the app already has 5"
                + " drains, the most allowed."),
        notices);
  }

  @Test
  void shouldIgnoreTagsAndCountThemWhenBindingFromTagsIsOff() {
    registry.close(0);
    registry = registry(5, 1000, false);

    offer(APP, "syslog://logs.example.com:514");
    offer(APP, "syslog://logs.example.com:514 syslog://other.example.com:514");
    offer(APP, null);

    assertEquals(List.of(), registry.drainsOf(APP));
    assertEquals(0, registry.activeDrains());
    assertEquals(2, counters.refusals(DrainCounters.Refusal.TAGS_DISABLED));
    assertEquals(List.of(), notices);
    assertTrue(registry.bindStatic(APP, DrainUrl.parse("syslog://static.example.com:514")));
    assertEquals(
        Set.of("syslog://admin.example.com:514"),
        registry.bindAdmin(APP, List.of("syslog://admin.example.com:514")));
    assertEquals(2, registry.drainsOf(APP).size(), "configured and admin bindings still bind");
  }

  @Test
  void shouldBindRedactedAndNeverExpireWhenBoundThroughTheAdminApi() {
    Set<String> bound =
        registry.bindAdmin(
            APP,
            List.of(
                "https://user:s3cret@logs.example.com/t0ken?key=k3y",
                "syslog://a.example.com:514",
                "syslog://a.example.com:514"));
    clock.addAndGet(TTL.toNanos() * 5);
    registry.sweep();

    assertEquals(
        List.of("https://logs.example.com:443", "syslog://a.example.com:514"), List.copyOf(bound));
    assertEquals(List.copyOf(bound), urlsOf(APP));
    assertEquals(Map.of(APP, bound), registry.adminBindings());
    assertFalse(registry.adminBindings().toString().contains("s3cret"));
    assertFalse(registry.adminBindings().toString().contains("t0ken"));
  }

  @Test
  void shouldReplaceTheAppsAdminBindingsWhenBoundAgain() {
    registry.bindAdmin(APP, List.of("syslog://a.example.com:514", "syslog://b.example.com:514"));
    Drain kept = registry.drainsOf(APP).get(1);
    Drain replaced = registry.drainsOf(APP).get(0);

    Set<String> bound =
        registry.bindAdmin(
            APP, List.of("syslog://b.example.com:514", "syslog://c.example.com:514"));

    assertEquals(Set.of("syslog://b.example.com:514", "syslog://c.example.com:514"), bound);
    assertEquals(List.of("syslog://b.example.com:514", "syslog://c.example.com:514"), urlsOf(APP));
    assertTrue(replaced.isClosed());
    assertFalse(kept.isClosed(), "a URL bound again keeps its drain");
    assertEquals(2, registry.activeDrains());
  }

  @Test
  void shouldRefuseTheWholeListNamingTheFirstBadUrlWhenOneIsInvalid() {
    registry.bindAdmin(APP, List.of("syslog://a.example.com:514"));

    RefusedBindingException e =
        assertThrows(
            RefusedBindingException.class,
            () ->
                registry.bindAdmin(
                    APP,
                    List.of(
                        "syslog://b.example.com:514",
                        "ftp://user:pw@files.example.com/x",
                        "gopher://x")));

    assertEquals(
        "Drain URL ftp://files.example.com has the unsupported scheme \"ftp\": use syslog://,"
            + " syslog-tls:// or https://.",
        e.getMessage());
    assertEquals(DrainCounters.Refusal.INVALID_URL, e.reason());
    assertEquals(1, counters.refusals(DrainCounters.Refusal.INVALID_URL));
    assertEquals(List.of("syslog://a.example.com:514"), urlsOf(APP), "nothing changed");
    assertEquals(List.of(), notices, "the admin is told, not the app");
  }

  @Test
  void shouldRefuseTheWholeListWhenItWouldPassTheAppsCap() {
    offer(APP, "syslog://tag1.example.com:514 syslog://tag2.example.com:514");

    RefusedBindingException e =
        assertThrows(RefusedBindingException.class, () -> registry.bindAdmin(APP, syslogUrls(4)));

    assertEquals(
        "Syslog drain syslog://logs4.example.com:514 is not bound: the app already has 5 drains,"
            + " the most allowed.",
        e.getMessage());
    assertEquals(DrainCounters.Refusal.APP_LIMIT, e.reason());
    assertEquals(2, registry.drainsOf(APP).size(), "nothing changed");
    assertEquals(Set.of(), registry.adminBindings().getOrDefault(APP, Set.of()));
    assertEquals(3, registry.bindAdmin(APP, syslogUrls(3)).size(), "up to the cap");
  }

  @Test
  void shouldStopWhatItStartedWhenTheDopplerIsFullMidway() {
    registry.close(0);
    registry = registry(5, 3, true);
    offer(OTHER_APP, "syslog://other.example.com:514");

    RefusedBindingException e =
        assertThrows(RefusedBindingException.class, () -> registry.bindAdmin(APP, syslogUrls(3)));

    assertEquals(DrainCounters.Refusal.DOPPLER_LIMIT, e.reason());
    assertTrue(e.getMessage().contains("syslog://logs3.example.com:514"), e.getMessage());
    assertEquals(1, registry.activeDrains());
    assertEquals(List.of(), registry.drainsOf(APP));
  }

  @Test
  void shouldCloseTheAdminDrainsButKeepTaggedAndConfiguredOnesWhenUnbound() {
    registry.bindStatic(APP, DrainUrl.parse("syslog://static.example.com:514"));
    offer(APP, "syslog://tagged.example.com:514");
    registry.bindAdmin(
        APP,
        List.of(
            "syslog://static.example.com:514",
            "syslog://tagged.example.com:514",
            "syslog://admin.example.com:514"));
    Drain adminOnly = registry.drainsOf(APP).get(2);

    registry.unbindAdmin(APP);
    registry.unbindAdmin(OTHER_APP);

    assertEquals(
        List.of("syslog://static.example.com:514", "syslog://tagged.example.com:514"), urlsOf(APP));
    assertTrue(adminOnly.isClosed());
    assertEquals(Map.of(), registry.adminBindings());
    clock.addAndGet(TTL.toNanos() + 1);
    registry.sweep();
    assertEquals(List.of("syslog://static.example.com:514"), urlsOf(APP), "the tag's TTL runs");
  }

  @Test
  void shouldUnbindEverythingOfTheAppWhenTheAdminListIsEmpty() {
    registry.bindAdmin(APP, syslogUrls(2));

    assertEquals(Set.of(), registry.bindAdmin(APP, List.of()));
    registry.sweep();

    assertEquals(List.of(), registry.drainsOf(APP));
    assertEquals(0, registry.activeDrains());
  }

  @Test
  void shouldRefuseAdminBindingsWhenClosed() {
    registry.close(0);

    assertThrows(IllegalStateException.class, () -> registry.bindAdmin(APP, syslogUrls(1)));
  }
}
