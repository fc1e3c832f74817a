package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loggregator.doppler.routing.EnvelopeRouter;
import org.loggregator.doppler.routing.RouterCounters;
import org.loggregator.metrics.MetricName;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.LgrNotice;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.TestEnvelopes;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;
import org.loggregator.retry.Backoff;
import org.loggregator.retry.Backoff.Jitter;

class DrainRegistryTest {
  private static final String APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";
  private static final String OTHER_APP = "0d7c9a7e-1111-4d2b-8f0e-abcdefabcdef";
  private static final String URL_A = "syslog://127.0.0.1:5140";
  private static final String URL_B = "syslog-tls://logs.example.com:6514";
  private static final Duration TTL = Duration.ofMinutes(10);

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final DrainCounters counters = new DrainCounters(MetricName.localCounters(), Map.of());
  private final Map<String, FakeDrainWriter> writers = new ConcurrentHashMap<>();
  private final List<String[]> notices = new CopyOnWriteArrayList<>();
  private final EnvelopeReader reader = new EnvelopeReader();
  private final RoutingFields fields = new RoutingFields();
  private volatile CountDownLatch stall = new CountDownLatch(0);
  private volatile int framesPerBatch = 512;
  private DrainRegistry registry = registry(10, 1000, 10_000);

  @AfterEach
  void closeRegistry() {
    stall.countDown();
    registry.close(5000);
  }

  private DrainRegistry registry(int maxPerApp, int maxDrains, int queue) {
    return new DrainRegistry(
        new DrainRegistry.Limits(queue, TTL, maxPerApp, maxDrains, "loggregator"),
        url -> {
          FakeDrainWriter writer = new FakeDrainWriter(framesPerBatch);
          writer.stall = stall;
          writers.put(url.text(), writer);
          return writer;
        },
        Thread::new,
        counters,
        (appId, envelope) -> notices.add(new String[] {appId, noticeText(appId, envelope)}),
        "doppler",
        clock::get,
        () -> TestBackoffs.fast());
  }

  private static String noticeText(String appId, byte[] envelope) {
    try {
      LogMessage log = Envelope.parseFrom(envelope).getLogMessage();
      assertEquals(LgrNotice.SOURCE_TYPE, log.getSourceType());
      assertEquals(LogMessage.MessageType.ERR, log.getMessageType());
      assertEquals(appId, log.getAppId());
      return log.getMessage().toStringUtf8();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] log(String appId, String text, String drainUrls) {
    Envelope.Builder envelope = TestEnvelopes.log(appId, text, 1);
    if (drainUrls != null) {
      envelope.putTags("drain_urls", drainUrls);
    }
    return envelope.build().toByteArray();
  }

  /** Reads the routing fields from a larger buffer, as the listener does, then offers. */
  private void offer(byte[] envelope) {
    byte[] datagram = new byte[envelope.length + 40];
    System.arraycopy(envelope, 0, datagram, 40, envelope.length);
    assertEquals(ReadResult.OK, reader.read(datagram, 40, envelope.length, fields));
    registry.offer(envelope, fields);
  }

  private List<String> noticesOf(String appId) {
    List<String> texts = new ArrayList<>();
    for (String[] notice : notices) {
      if (notice[0].equals(appId)) {
        texts.add(notice[1]);
      }
    }
    return texts;
  }

  @Test
  void shouldCreateADrainAndDeliverToItWhenAnEnvelopeNamesANewUrl() throws Exception {
    offer(log(APP, "hello", URL_A));

    assertEquals(1, registry.drainsOf(APP).size());
    assertEquals(1, registry.activeDrains());
    assertEquals(1, registry.activeDrains(DrainUrl.Scheme.SYSLOG));
    assertTrue(writers.get(URL_A).awaitMessages(1));
    assertEquals(List.of("hello"), writers.get(URL_A).messages());
  }

  @Test
  void shouldBindEachUrlOnceAndDeliverEveryLineWhenTheSameTagRepeats() throws Exception {
    for (int i = 0; i < 100; i++) {
      offer(log(APP, "line " + i, URL_A + "  " + URL_B));
    }

    assertEquals(2, registry.drainsOf(APP).size());
    assertEquals(2, writers.size());
    assertTrue(writers.get(URL_A).awaitMessages(100));
    assertTrue(writers.get(URL_B).awaitMessages(100));
    assertEquals(1, registry.activeDrains(DrainUrl.Scheme.SYSLOG_TLS));
  }

  @Test
  void shouldQueueOnlyLogMessagesWhenAnAppHasDrains() throws Exception {
    offer(
        TestEnvelopes.bytes(
            TestEnvelopes.containerMetric(APP, 0, 1, 1, 1).putTags("drain_urls", URL_A)));
    offer(log(APP, "after", null));

    assertEquals(1, registry.drainsOf(APP).size(), "a ContainerMetric's tag binds too");
    assertTrue(writers.get(URL_A).awaitMessages(1));
    assertEquals(List.of("after"), writers.get(URL_A).messages());
  }

  @Test
  void shouldRefuseCountAndNoticeOnceWhenAnAppExceedsItsCap() {
    registry = registry(2, 1000, 100);
    String three = URL_A + " " + URL_B + " https://user:pw@logs.example.com/in?t=1";

    for (int i = 0; i < 5; i++) {
      offer(log(APP, "x", three));
    }

    assertEquals(2, registry.drainsOf(APP).size());
    assertEquals(1, counters.refusals(DrainCounters.Refusal.APP_LIMIT));
    assertEquals(
        List.of(
            "Syslog drain https://logs.example.com:443 is not bound: the app already has 2"
                + " drains, the most allowed."),
        noticesOf(APP));
  }

  @Test
  void shouldRefuseAndNoticeTheAppWhenTheDopplerIsFull() {
    registry = registry(10, 1, 100);

    offer(log(APP, "x", URL_A));
    offer(log(OTHER_APP, "x", URL_A));

    assertEquals(1, registry.activeDrains());
    assertEquals(0, registry.drainsOf(OTHER_APP).size());
    assertEquals(1, counters.refusals(DrainCounters.Refusal.DOPPLER_LIMIT));
    assertEquals(
        List.of(
            "Syslog drain syslog://127.0.0.1:5140 is not bound: this doppler already serves 1"
                + " drains, the most allowed."),
        noticesOf(OTHER_APP));
    assertEquals(List.of(), noticesOf(APP));
  }

  @Test
  void shouldNoticeOnceAndDisturbNothingElseWhenAUrlIsInvalid() throws Exception {
    for (int i = 0; i < 10; i++) {
      offer(
          log(
              APP,
              "line " + i,
              "ftp://user:pw@files.example.com/x " + URL_A + " syslog://bad_host:514"));
    }

    assertEquals(1, registry.drainsOf(APP).size());
    assertTrue(writers.get(URL_A).awaitMessages(10));
    assertEquals(2, counters.refusals(DrainCounters.Refusal.INVALID_URL));
    List<String> told = noticesOf(APP);
    assertEquals(2, told.size(), told.toString());
    assertEquals(
        "Drain URL ftp://files.example.com has the unsupported scheme \"ftp\": use syslog://,"
            + " syslog-tls:// or https://.",
        told.get(0));
    assertEquals(
        "Drain URL syslog://bad_host:514 has no valid host: write syslog://HOST:PORT.",
        told.get(1));
  }

  @Test
  void shouldRemoveABindingWhenItIsNotNamedForTheTtl() throws Exception {
    offer(log(APP, "x", URL_A));
    clock.addAndGet(TTL.toNanos() / 2);
    offer(log(APP, "y", URL_B));
    clock.addAndGet(TTL.toNanos() / 2 + 1);
    Drain removed = registry.drainsOf(APP).get(0);

    registry.sweep();

    assertEquals(List.of(URL_B), registry.drainsOf(APP).stream().map(d -> d.url().text()).toList());
    assertTrue(removed.isClosed());
    assertTrue(removed.awaitStopped(2000));
    assertEquals(1, registry.activeDrains());
    assertEquals(0, registry.activeDrains(DrainUrl.Scheme.SYSLOG));

    clock.addAndGet(TTL.toNanos() + 1);
    registry.sweep();
    assertEquals(0, registry.activeDrains());
    assertEquals(List.of(), registry.drainsOf(APP));

    offer(log(APP, "again", URL_A));
    assertEquals(1, registry.drainsOf(APP).size(), "named again, bound again");
  }

  @Test
  void shouldKeepABindingAliveWhenItsTagKeepsComing() {
    for (int minute = 0; minute < 30; minute++) {
      offer(log(APP, "x", URL_A));
      clock.addAndGet(TimeUnit.MINUTES.toNanos(1));
      registry.sweep();
    }

    assertEquals(1, registry.drainsOf(APP).size());
  }

  @Test
  void shouldKeepAStaticBindingAndDeliverToItWhenEnvelopesCarryNoTag() throws Exception {
    registry.bindStatic(APP, DrainUrl.parse(URL_A));
    clock.addAndGet(TTL.toNanos() * 3);
    registry.sweep();

    offer(log(APP, "static", null));

    assertEquals(1, registry.drainsOf(APP).size());
    assertTrue(writers.get(URL_A).awaitMessages(1));
  }

  @Test
  void shouldTellTheAppHowManyLinesItsDrainDroppedWhenSwept() throws Exception {
    // The writer takes one line as its batch and stalls on it; a bigger batch would race the
    // offers below for how many lines it holds.
    stall = new CountDownLatch(1);
    framesPerBatch = 1;
    registry.close(0);
    registry = registry(10, 1000, 16);
    for (int i = 0; i < 100; i++) {
      offer(log(APP, "line " + i, URL_A));
    }

    registry.sweep();
    registry.sweep();

    List<String> told = noticesOf(APP);
    assertEquals(1, told.size(), told.toString());
    Matcher m =
        Pattern.compile(
                "Log message output too high\\. We've dropped (\\d+) messages to drain"
                    + " syslog://127\\.0\\.0\\.1:5140\\.")
            .matcher(told.get(0));
    assertTrue(m.matches(), told.get(0));
    assertEquals(counters.of(DrainUrl.Scheme.SYSLOG).dropped(), Long.parseLong(m.group(1)));
    assertTrue(Long.parseLong(m.group(1)) >= 100 - 1 - 16, m.group(1));
  }

  @Test
  void shouldPutNoticesIntoTheAppsRecentLogsWhenWiredToTheRouter() throws Exception {
    EnvelopeRouter router =
        new EnvelopeRouter(
            new EnvelopeRouter.Retention(
                100, 100, TimeUnit.HOURS.toNanos(1), TimeUnit.MINUTES.toNanos(2)),
            clock::get,
            new RouterCounters(MetricName.localCounters(), Map.of()),
            EnvelopeRouter.Budgets.UNLIMITED);
    registry.close(0);
    registry =
        new DrainRegistry(
            new DrainRegistry.Limits(100, TTL, 10, 1000, "loggregator"),
            url -> new FakeDrainWriter(),
            Thread::new,
            counters,
            router::injectNotice,
            "doppler",
            clock::get,
            () ->
                new Backoff(
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(1),
                    Jitter.upToCeiling(),
                    ChronoUnit.NANOS,
                    () -> 0.5));
    router.drainTo(registry);
    byte[] envelope = log(APP, "routed", "gopher://x");
    byte[] datagram = envelope.clone();
    assertEquals(ReadResult.OK, reader.read(datagram, 0, datagram.length, fields));

    router.route(datagram, fields);

    List<String> recent = new ArrayList<>();
    for (byte[] e : router.recentLogs(APP)) {
      recent.add(Envelope.parseFrom(e).getLogMessage().getMessage().toStringUtf8());
    }
    assertEquals(2, recent.size(), recent.toString());
    assertTrue(recent.contains("routed"));
    assertTrue(
        recent.stream().anyMatch(t -> t.contains("unsupported scheme \"gopher\"")),
        recent.toString());
  }

  @Test
  void shouldStopEveryWriterWhenClosed() {
    offer(log(APP, "x", URL_A + " " + URL_B));
    offer(log(OTHER_APP, "x", URL_A));
    List<Drain> drains = new ArrayList<>(registry.drainsOf(APP));
    drains.addAll(registry.drainsOf(OTHER_APP));

    registry.close(5000);

    assertEquals(3, drains.size());
    assertTrue(drains.stream().allMatch(Drain::isClosed));
    assertEquals(0, registry.activeDrains());
    offer(log(APP, "late", URL_A));
    assertEquals(0, registry.activeDrains(), "a closed registry binds nothing");
  }
}
