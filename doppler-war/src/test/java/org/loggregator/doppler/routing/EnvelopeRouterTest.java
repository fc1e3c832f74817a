package org.loggregator.doppler.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loggregator.doppler.sink.RecentLogBudget;
import org.loggregator.metrics.Counter;
import org.loggregator.metrics.MetricName;
import org.loggregator.protocol.AppIds;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RecentLogsQuery;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.TestEnvelopes;
import org.loggregator.protocol.TransitTrailer;
import org.loggregator.protocol.events.ContainerMetric;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.HttpStartStop;
import org.loggregator.protocol.events.Method;
import org.loggregator.protocol.events.PeerType;
import org.loggregator.protocol.events.UUID;
import org.loggregator.sink.RecordingTransport;
import org.loggregator.sink.SinkCounters;
import org.loggregator.sink.Subscriber;

class EnvelopeRouterTest {
  private static final String APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";
  private static final String OTHER_APP = "0d7c9a7e-1111-4d2b-8f0e-abcdefabcdef";
  private static final int RECENT_LOGS = 5;
  private static final long APP_TTL = TimeUnit.HOURS.toNanos(1);
  private static final long METRIC_TTL = TimeUnit.SECONDS.toNanos(120);

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final RouterCounters routerCounters =
      new RouterCounters(MetricName.localCounters(), Map.of());
  private final SinkCounters sinkCounters = new SinkCounters(MetricName.localCounters(), Map.of());
  private final EnvelopeReader reader = new EnvelopeReader();
  private final RoutingFields fields = new RoutingFields();
  private final ExecutorService completer = Executors.newSingleThreadExecutor();
  private final ExecutorService writer = Executors.newSingleThreadExecutor();
  private EnvelopeRouter router = router(100);

  @AfterEach
  void stopThreads() throws InterruptedException {
    completer.shutdownNow();
    writer.shutdownNow();
    completer.awaitTermination(5, TimeUnit.SECONDS);
    writer.awaitTermination(5, TimeUnit.SECONDS);
  }

  private EnvelopeRouter router(int maxApps) {
    return new EnvelopeRouter(
        new EnvelopeRouter.Retention(RECENT_LOGS, maxApps, APP_TTL, METRIC_TTL),
        clock::get,
        routerCounters,
        EnvelopeRouter.Budgets.UNLIMITED);
  }

  // ---- envelopes, as an emitter encodes them

  private static byte[] log(String appId, long timestamp, String text) {
    return TestEnvelopes.bytes(TestEnvelopes.log(appId, text, timestamp));
  }

  private static byte[] log(String appId, String text) {
    return TestEnvelopes.bytes(TestEnvelopes.log(appId, text));
  }

  private static byte[] containerMetric(String appId, int instance, double cpu) {
    return TestEnvelopes.bytes(
        TestEnvelopes.containerMetric(appId, instance, cpu, 1024, 2048).setTimestamp(1L));
  }

  private static byte[] httpStartStop(long appLow, long appHigh) {
    return Envelope.newBuilder()
        .setOrigin("gorouter")
        .setEventType(Envelope.EventType.HttpStartStop)
        .setTimestamp(2L)
        .setHttpStartStop(
            HttpStartStop.newBuilder()
                .setStartTimestamp(1L)
                .setStopTimestamp(2L)
                .setRequestId(UUID.newBuilder().setLow(7).setHigh(8))
                .setPeerType(PeerType.Server)
                .setMethod(Method.GET)
                .setUri("http://example.com/")
                .setRemoteAddress("10.0.0.1:1234")
                .setUserAgent("curl")
                .setStatusCode(200)
                .setContentLength(42)
                .setApplicationId(UUID.newBuilder().setLow(appLow).setHigh(appHigh)))
        .build()
        .toByteArray();
  }

  private static byte[] valueMetric(String name) {
    return TestEnvelopes.bytes(TestEnvelopes.valueMetric(name, 1.5, "ms").setTimestamp(3L));
  }

  /** Reads the routing fields as the listener does, then routes from a larger buffer. */
  private void route(byte[] envelope) {
    byte[] datagram = new byte[envelope.length + 40];
    System.arraycopy(envelope, 0, datagram, 32, envelope.length);
    assertEquals(ReadResult.OK, reader.read(datagram, 32, envelope.length, fields));
    router.onEnvelope(datagram, 32, envelope.length, fields);
    datagram[32] ^= 0x7f; // the listener reuses its buffer: the router must have copied
  }

  private Subscriber subscribeInline(String appId, RecordingTransport transport) {
    Subscriber subscriber =
        new Subscriber(1_000, transport, Runnable::run, sinkCounters, appId, "doppler");
    router.subscribe(appId, subscriber);
    return subscriber;
  }

  private Subscriber firehose(String subscriptionId, RecordingTransport transport) {
    Subscriber subscriber =
        new Subscriber(1_000, transport, Runnable::run, sinkCounters, null, "doppler");
    router.subscribeFirehose(subscriptionId, subscriber);
    return subscriber;
  }

  private static List<String> messages(List<byte[]> envelopes) {
    List<String> texts = new ArrayList<>();
    for (byte[] envelope : envelopes) {
      texts.add(parse(envelope).getLogMessage().getMessage().toStringUtf8());
    }
    return texts;
  }

  private static Envelope parse(byte[] envelope) {
    try {
      return Envelope.parseFrom(envelope);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not an envelope", e);
    }
  }

  // ---- log messages

  @Test
  void shouldKeepLogMessagesInTheAppsRingAndSendThemToItsSubscribersWhenRouted() {
    RecordingTransport mine = RecordingTransport.inline("mine");
    RecordingTransport theirs = RecordingTransport.inline("theirs");
    subscribeInline(APP, mine);
    subscribeInline(OTHER_APP, theirs);

    route(log(APP, "one"));
    route(log(APP, "two"));

    assertEquals(List.of("one", "two"), messages(router.recentLogs(APP)));
    assertEquals(List.of("one", "two"), messages(mine.sends()));
    assertTrue(theirs.sends().isEmpty(), "another app's subscriber gets nothing");
    assertTrue(router.recentLogs(OTHER_APP).isEmpty());
    assertEquals(2, router.recentEnvelopes());
  }

  @Test
  void shouldCutOffTheTransitTrailerWhenItKeepsAndForwardsAnAgentsEnvelope() {
    RecordingTransport mine = RecordingTransport.inline("mine");
    subscribeInline(APP, mine);
    byte[] plain = log(APP, 5L, "numbered");
    byte[] numbered = java.util.Arrays.copyOf(plain, plain.length + TransitTrailer.MAX_LENGTH);
    int n =
        plain.length
            + TransitTrailer.write(numbered, plain.length, 9L, 3, TransitTrailer.hostBytes("h1"));
    route(java.util.Arrays.copyOf(numbered, n));

    assertArrayEquals(plain, router.recentLogs(APP).get(0), "recent logs: the bytes as sent");
    assertArrayEquals(plain, mine.sends().get(0), "stream: the bytes as sent");
  }

  @Test
  void shouldKeepOnlyTheLastRecentLogsWhenAnAppLogsMoreThanTheRingHolds() {
    for (int i = 0; i < RECENT_LOGS + 3; i++) {
      route(log(APP, 1_000 + i, "line " + i));
    }

    assertEquals(
        List.of("line 3", "line 4", "line 5", "line 6", "line 7"),
        messages(router.recentLogs(APP)));
  }

  @Test
  void shouldSortRecentLogsByEnvelopeTimestampWhenTheyArrivedOutOfOrder() {
    route(log(APP, 3_000, "third"));
    route(log(APP, 1_000, "first"));
    route(log(APP, 2_000, "second"));

    assertEquals(List.of("first", "second", "third"), messages(router.recentLogs(APP)));
  }

  @Test
  void shouldKeepArrivalOrderForEqualTimestampsWhenSortingRecentLogs() {
    route(log(APP, 5, "a"));
    route(log(APP, 5, "b"));
    route(log(APP, 1, "c"));

    assertEquals(List.of("c", "a", "b"), messages(router.recentLogs(APP)));
  }

  @Test
  void shouldKeepTheNewestFromTheStartTimeWhenTheRecentLogsAreAskedWithAQuery() {
    route(log(APP, 3_000, "third"));
    route(log(APP, 1_000, "first"));
    route(log(APP, 4_000, "fourth"));
    route(log(APP, 2_000, "second"));

    assertEquals(
        List.of("third", "fourth"),
        messages(router.recentLogs(APP, new RecentLogsQuery(RecentLogsQuery.NO_START, 2))));
    assertEquals(
        List.of("second", "third", "fourth"),
        messages(router.recentLogs(APP, new RecentLogsQuery(2_000, RecentLogsQuery.NO_LIMIT))));
    assertEquals(
        List.of("fourth"), messages(router.recentLogs(APP, new RecentLogsQuery(2_000, 1))));
    assertEquals(List.of(), messages(router.recentLogs(APP, new RecentLogsQuery(5_000, 10))));
    assertEquals(
        messages(router.recentLogs(APP)),
        messages(router.recentLogs(APP, RecentLogsQuery.ALL)),
        "no query, the whole buffer");
  }

  @Test
  void shouldAnswerNoRecentLogsWhenTheAppIsUnknown() {
    assertTrue(router.recentLogs("never-seen").isEmpty());
    assertTrue(router.containerMetrics("never-seen").isEmpty());
  }

  @Test
  void shouldSendOnlyEnvelopesRoutedAfterSubscribingWhenAStreamStarts() {
    route(log(APP, "before"));
    RecordingTransport late = RecordingTransport.inline("late");
    subscribeInline(APP, late);
    route(log(APP, "after"));

    assertEquals(List.of("after"), messages(late.sends()));
  }

  @Test
  void shouldStopSendingToASubscriberWhenItUnsubscribes() {
    RecordingTransport transport = RecordingTransport.inline("gone");
    Subscriber subscriber = subscribeInline(APP, transport);
    route(log(APP, "one"));

    router.unsubscribe(APP, subscriber);
    route(log(APP, "two"));

    assertEquals(List.of("one"), messages(transport.sends()));
    assertEquals(0, router.streamSubscriberCount());
  }

  // ---- container metrics

  @Test
  void shouldKeepOnlyTheLatestContainerMetricPerInstanceWhenSeveralArrive() {
    RecordingTransport stream = RecordingTransport.inline("stream");
    subscribeInline(APP, stream);

    route(containerMetric(APP, 0, 10.0));
    route(containerMetric(APP, 1, 20.0));
    clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
    route(containerMetric(APP, 0, 30.0));

    Map<Integer, Double> latest = new TreeMap<>();
    for (byte[] envelope : router.containerMetrics(APP)) {
      ContainerMetric metric = parse(envelope).getContainerMetric();
      latest.put(metric.getInstanceIndex(), metric.getCpuPercentage());
    }
    assertEquals(Map.of(0, 30.0, 1, 20.0), latest);
    assertEquals(2, router.containerMetrics(APP).size());
    assertEquals(3, stream.sendCount(), "the stream gets every container metric");
    assertTrue(router.recentLogs(APP).isEmpty(), "container metrics are not recent logs");
  }

  @Test
  void shouldForgetContainerMetricsWhenTheyAreOlderThanTheTtl() {
    route(containerMetric(APP, 0, 10.0));
    clock.addAndGet(METRIC_TTL / 2);
    route(containerMetric(APP, 1, 20.0));

    clock.addAndGet(METRIC_TTL / 2);
    assertEquals(2, router.containerMetrics(APP).size(), "both within the TTL");

    clock.addAndGet(1);
    List<byte[]> left = router.containerMetrics(APP);
    assertEquals(1, left.size());
    assertEquals(1, parse(left.get(0)).getContainerMetric().getInstanceIndex());

    clock.addAndGet(METRIC_TTL);
    router.sweep();
    assertTrue(router.containerMetrics(APP).isEmpty());
  }

  // ---- other envelope types

  @Test
  void shouldSendHttpStartStopToStreamSubscribersOfItsUuidButNotKeepItWhenRouted() {
    long low = 0x2b4d7e9a3b2a1c6fL;
    long high = 0xab9078563412_0e8fL;
    String appId = AppIds.uuidText(low, high);
    RecordingTransport stream = RecordingTransport.inline("stream");
    subscribeInline(appId, stream);

    byte[] envelope = httpStartStop(low, high);
    route(envelope);

    assertEquals(1, stream.sendCount());
    assertArrayEquals(envelope, stream.sends().get(0));
    assertTrue(router.recentLogs(appId).isEmpty(), "the ring keeps only log messages");
    assertTrue(router.containerMetrics(appId).isEmpty());
  }

  @Test
  void shouldSendEnvelopesWithoutAppIdOnlyToTheFirehoseWhenRouted() {
    RecordingTransport nozzle = RecordingTransport.inline("nozzle");
    RecordingTransport stream = RecordingTransport.inline("stream");
    firehose("sub-1", nozzle);
    subscribeInline(APP, stream);

    byte[] metric = valueMetric("latency");
    route(metric);

    assertEquals(1, nozzle.sendCount());
    assertArrayEquals(metric, nozzle.sends().get(0));
    assertTrue(stream.sends().isEmpty());
    assertEquals(1, router.appCount(), "only the subscribed app is tracked");
    assertEquals(0, router.recentEnvelopes());
  }

  @Test
  void shouldSendEveryEnvelopeToTheFirehoseWhenItHasAnAppIdToo() {
    RecordingTransport nozzle = RecordingTransport.inline("nozzle");
    firehose("sub-1", nozzle);

    route(log(APP, "log"));
    route(containerMetric(OTHER_APP, 0, 1.0));
    route(valueMetric("m"));

    assertEquals(3, nozzle.sendCount());
  }

  @Test
  void shouldShareTheStreamBetweenTwoConnectionsWhenTheyUseOneFirehoseSubscription() {
    RecordingTransport first = RecordingTransport.inline("nozzle 1");
    RecordingTransport second = RecordingTransport.inline("nozzle 2");
    RecordingTransport separate = RecordingTransport.inline("other subscription");
    firehose("shared", first);
    firehose("shared", second);
    firehose("other", separate);

    for (int i = 0; i < 10; i++) {
      route(log(APP, "line " + i));
    }

    assertEquals(5, first.sendCount());
    assertEquals(5, second.sendCount());
    Set<String> together = new HashSet<>(messages(first.sends()));
    together.addAll(messages(second.sends()));
    assertEquals(10, together.size());
    assertEquals(10, separate.sendCount(), "another subscription gets the whole stream");
    assertEquals(3, router.firehoseSubscriberCount());
  }

  @Test
  void shouldStopFeedingAFirehoseWhenItsLastConnectionLeaves() {
    RecordingTransport nozzle = RecordingTransport.inline("nozzle");
    Subscriber subscriber = firehose("sub-1", nozzle);

    router.unsubscribeFirehose("sub-1", subscriber);
    route(valueMetric("m"));

    assertTrue(nozzle.sends().isEmpty());
    assertEquals(0, router.firehoseSubscriberCount());
  }

  // ---- memory bounds

  @Test
  void shouldForgetAnAppWhenItWasSilentPastTheTtlAndNobodySubscribes() {
    route(log("silent", "x"));
    route(log("watched", "x"));
    subscribeInline("watched", RecordingTransport.inline("watcher"));
    clock.addAndGet(APP_TTL / 2);
    route(log("recent", "x"));

    clock.addAndGet(APP_TTL / 2);
    router.sweep();
    assertEquals(3, router.appCount(), "silent for exactly the TTL is not yet past it");

    clock.addAndGet(1);
    router.sweep();

    assertTrue(router.recentLogs("silent").isEmpty());
    assertEquals(1, router.recentLogs("watched").size(), "subscribed apps are kept");
    assertEquals(1, router.recentLogs("recent").size());
    assertEquals(2, router.appCount());
    assertEquals(1, routerCounters.expiredApps());
    assertEquals(0, routerCounters.evictedApps());
  }

  @Test
  void shouldEvictTheLeastRecentlyActiveAppsWithoutSubscribersWhenTheCapIsPassed() {
    router = router(4);
    List<String> order = List.of("subscribed", "b", "c", "d", "e");
    subscribeInline("subscribed", RecordingTransport.inline("watcher"));
    for (String app : order) {
      clock.addAndGet(1_000);
      route(log(app, "from " + app));
    }

    long evicted = routerCounters.evictedApps();
    assertTrue(evicted >= 1, "at least one app over the cap was evicted");
    assertTrue(router.appCount() <= 4);
    assertEquals(order.size() - evicted, router.appCount());
    assertEquals(1, router.recentLogs("subscribed").size(), "an app with subscribers stays");
    assertEquals(1, router.recentLogs("e").size(), "the newest app stays");
    // Evicted are the least recently active of b, c, d, in that order.
    List<String> candidates = List.of("b", "c", "d");
    for (int i = 0; i < candidates.size(); i++) {
      boolean gone = router.recentLogs(candidates.get(i)).isEmpty();
      assertEquals(i < evicted, gone, candidates.get(i) + " evicted");
    }
    assertEquals(0, routerCounters.expiredApps());
  }

  @Test
  void shouldKeepRecentlyActiveAppsWhenEvictingEvenIfTheyWereTrackedFirst() {
    router = router(3);
    for (String app : List.of("a", "b", "c")) {
      clock.addAndGet(1_000);
      route(log(app, "from " + app));
    }
    clock.addAndGet(1_000);
    route(log("a", "a again"));
    clock.addAndGet(1_000);
    route(log("d", "from d"));

    assertTrue(router.recentLogs("b").isEmpty(), "b is the least recently active");
    assertEquals(2, router.recentLogs("a").size());
    assertEquals(1, router.recentLogs("d").size());
  }

  // ---- isolation

  @Test
  void shouldNotLoseAnythingForAReaderWhenAnotherSubscriberNeverReads() {
    int total = 50_000;
    int stuckCapacity = 100;
    RecordingTransport reader = RecordingTransport.async(completer, "reader");
    RecordingTransport stuck = RecordingTransport.stuck("stuck client");
    Subscriber readerSubscriber =
        new Subscriber(total, reader, writer, sinkCounters, APP, "doppler");
    Subscriber stuckSubscriber =
        new Subscriber(stuckCapacity, stuck, Runnable::run, sinkCounters, APP, "doppler");
    router.subscribe(APP, readerSubscriber);
    router.subscribe(APP, stuckSubscriber);

    for (int i = 0; i < total; i++) {
      route(log(APP, i, Integer.toString(i)));
    }
    // Routing returned for every envelope although one subscriber never completes a send.
    reader.awaitSends(total);

    List<byte[]> received = reader.sends();
    assertEquals(total, received.size());
    for (int i = 0; i < total; i++) {
      assertEquals(Integer.toString(i), messages(List.of(received.get(i))).get(0));
    }
    assertEquals(0, readerSubscriber.dropped());
    assertEquals(1, stuck.sendCount(), "the stuck client has one send in flight, forever");
    assertEquals(stuckCapacity, stuckSubscriber.queued());
    assertEquals(total - 1 - stuckCapacity, stuckSubscriber.dropped());
    assertEquals(total - 1 - stuckCapacity, sinkCounters.droppedEgress());
    assertTrue(stuckSubscriber.sendStalledNanos(System.nanoTime() + 1) > 0);
  }

  // ---- byte budgets

  /** A log envelope of exactly the same length for every {@code n} below 1,000. */
  private static byte[] padded(String appId, long timestamp, int n) {
    return log(appId, timestamp, String.format("%03d ", n) + "x".repeat(900));
  }

  private EnvelopeRouter budgeted(
      int recentLogs, int maxApps, long perApp, long total, int instances, long metricBytes) {
    return new EnvelopeRouter(
        new EnvelopeRouter.Retention(recentLogs, maxApps, APP_TTL, METRIC_TTL),
        clock::get,
        routerCounters,
        new EnvelopeRouter.Budgets(perApp, total, instances, metricBytes));
  }

  private List<Integer> numbers(String appId) {
    return messages(router.recentLogs(appId)).stream()
        .map(m -> Integer.parseInt(m.substring(0, 3)))
        .toList();
  }

  private long heldBytes(List<String> appIds) {
    long bytes = 0;
    for (String appId : appIds) {
      for (byte[] envelope : router.recentLogs(appId)) {
        bytes += envelope.length;
      }
    }
    return bytes;
  }

  @Test
  void shouldEvictTheOldestOfTheAppsBytesWhenItsRingIsFullOfLargeEnvelopes() {
    long length = padded(APP, 0, 0).length;
    router = budgeted(100, 100, 3 * length, 1 << 30, 1000, 1 << 20);

    for (int i = 0; i < 5; i++) {
      route(padded(APP, i, i));
    }

    assertEquals(List.of(2, 3, 4), numbers(APP), "three fit the app's bytes, of 100 by count");
    assertEquals(3 * length, router.recentLogBytes());
    assertEquals(2, routerCounters.appBudgetEvictions());
    assertEquals(0, routerCounters.totalBudgetEvictions());
  }

  @Test
  void shouldEvictTheOldestOfTheLeastRecentlyActiveAppFirstWhenAllRingsPassTheTotal() {
    long length = padded("a", 0, 0).length; // as long for b and c
    router = budgeted(100, 100, 1 << 20, 6 * length + length / 2, 1000, 1 << 20);
    int n = 0;
    for (String app : List.of("a", "a", "a", "b", "b", "c")) {
      clock.addAndGet(1_000);
      route(padded(app, n, n++));
    }
    assertEquals(0, routerCounters.totalBudgetEvictions(), "six fit the total");

    clock.addAndGet(1_000);
    route(padded("c", n, n++)); // a is the least recently active: its oldest goes

    assertEquals(List.of(1, 2), numbers("a"));
    assertEquals(List.of(3, 4), numbers("b"));
    assertEquals(List.of(5, 6), numbers("c"));
    assertEquals(1, routerCounters.totalBudgetEvictions());

    clock.addAndGet(1_000);
    route(padded("a", n, n++)); // now b is: its oldest goes, not a's although a is older

    assertEquals(List.of(1, 2, 7), numbers("a"));
    assertEquals(List.of(4), numbers("b"));
    assertEquals(2, routerCounters.totalBudgetEvictions());
    assertEquals(0, routerCounters.appBudgetEvictions());
    assertEquals(6 * length, router.recentLogBytes());
    assertEquals(router.recentLogBytes(), heldBytes(List.of("a", "b", "c")));
  }

  @Test
  void shouldEmptyLessActiveAppsBeforeTouchingTheOneAppendedToWhenOverTheTotal() {
    long length = padded("busy", 0, 0).length; // quiet and other: one byte more
    router = budgeted(100, 100, 1 << 20, 4 * length + length / 2, 1000, 1 << 20);
    clock.addAndGet(1_000);
    route(padded("quiet", 0, 0));
    clock.addAndGet(1_000);
    route(padded("other", 1, 1));
    for (int i = 2; i < 7; i++) {
      clock.addAndGet(1_000);
      route(padded("busy", i, i));
    }

    assertTrue(numbers("quiet").isEmpty(), "the least recently active goes first");
    assertTrue(numbers("other").isEmpty());
    assertEquals(List.of(3, 4, 5, 6), numbers("busy"), "then the busy app's own oldest");
    assertEquals(3, routerCounters.totalBudgetEvictions());
  }

  @Test
  void shouldGiveBackTheBytesOfAnAppWhenItIsForgotten() {
    router = budgeted(100, 100, 1 << 20, 1 << 30, 1000, 1 << 20);
    route(log("silent", "x"));
    route(log("recent", "y"));
    long recentBytes = log("recent", "y").length;

    clock.addAndGet(APP_TTL / 2);
    route(log("recent", "z"));
    clock.addAndGet(APP_TTL / 2 + 1);
    router.sweep();

    assertEquals(1, routerCounters.expiredApps());
    assertEquals(2 * recentBytes, router.recentLogBytes());
  }

  @Test
  void shouldAccountEveryByteExactlyWhenManyThreadsAppendToManyApps() throws Exception {
    int threads = 8;
    int perThread = 5_000;
    long total = 400_000;
    long perApp = 30_000;
    router = budgeted(10_000, 1_000, perApp, total, 1000, 1 << 20);
    List<String> appIds = new ArrayList<>();
    for (int a = 0; a < 40; a++) {
      appIds.add("app-" + a);
    }
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                EnvelopeReader ownReader = new EnvelopeReader();
                RoutingFields ownFields = new RoutingFields();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    String appId = appIds.get(random.nextInt(appIds.size()));
                    byte[] envelope =
                        log(appId, clock.incrementAndGet(), "x".repeat(random.nextInt(3_000)));
                    ownReader.read(envelope, 0, envelope.length, ownFields);
                    router.route(envelope, ownFields);
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }

    assertTrue(failures.isEmpty(), failures.toString());
    long held = 0;
    long envelopes = 0;
    for (String appId : appIds) {
      long appBytes = heldBytes(List.of(appId));
      assertTrue(appBytes <= perApp, appId + " holds " + appBytes);
      held += appBytes;
      envelopes += router.recentLogs(appId).size();
    }
    assertEquals(held, router.recentLogBytes(), "the total is the sum of the rings, exactly");
    assertTrue(held <= total, held + " bytes held of " + total);
    assertEquals(envelopes, router.recentEnvelopes());
    assertEquals(
        (long) threads * perThread,
        envelopes + routerCounters.appBudgetEvictions() + routerCounters.totalBudgetEvictions(),
        "every envelope appended is held or counted as evicted");
    assertTrue(routerCounters.totalBudgetEvictions() > 0);
  }

  @Test
  void shouldNeverThrowWhenSortingAppsByActivityWhileTheirActivityChanges() throws Exception {
    List<AppSinks> apps = new ArrayList<>();
    RecentLogBudget budget =
        new RecentLogBudget(RecentLogBudget.UNLIMITED, RecentLogBudget.UNLIMITED, Counter.local());
    for (int a = 0; a < 2_000; a++) {
      apps.add(new AppSinks("app-" + a, 1, budget, a));
    }
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> movers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread mover =
          new Thread(
              () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get()) {
                  apps.get(random.nextInt(apps.size())).lastActiveNanos = random.nextLong();
                }
              });
      mover.start();
      movers.add(mover);
    }
    try {
      for (int round = 0; round < 300; round++) {
        List<AppSinks> sorted = AppTable.leastRecentlyActiveFirst(apps, a -> true);
        assertEquals(apps.size(), new HashSet<>(sorted).size(), "each app once");
      }
    } finally {
      stop.set(true);
      for (Thread mover : movers) {
        mover.join();
      }
    }
  }

  @Test
  void shouldNeverThrowNorLoseASubscriberWhenAppsAreEvictedWhileOthersSubscribe() throws Exception {
    long length = padded(APP, 0, 0).length;
    router = budgeted(5, 20, 1 << 20, 30 * length, 1000, 1 << 20);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> churners = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread churner =
          new Thread(
              () -> {
                EnvelopeReader ownReader = new EnvelopeReader();
                RoutingFields ownFields = new RoutingFields();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                  while (!stop.get()) {
                    byte[] envelope =
                        padded("churn-" + random.nextInt(200), clock.incrementAndGet(), 1);
                    ownReader.read(envelope, 0, envelope.length, ownFields);
                    router.route(envelope, ownFields);
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      churner.start();
      churners.add(churner);
    }
    EnvelopeReader ownReader = new EnvelopeReader();
    RoutingFields ownFields = new RoutingFields();
    try {
      for (int i = 0; i < 2_000; i++) {
        String appId = "watched-" + i;
        RecordingTransport transport = RecordingTransport.inline(appId);
        Subscriber subscriber =
            new Subscriber(10, transport, Runnable::run, sinkCounters, appId, "doppler");
        router.subscribe(appId, subscriber);
        byte[] envelope = log(appId, "to the subscriber");
        ownReader.read(envelope, 0, envelope.length, ownFields);
        router.route(envelope, ownFields);
        assertEquals(1, transport.sendCount(), appId + " kept its subscriber");
        router.unsubscribe(appId, subscriber);
      }
    } finally {
      stop.set(true);
      for (Thread churner : churners) {
        churner.join();
      }
    }

    assertTrue(failures.isEmpty(), failures.toString());
    assertTrue(routerCounters.evictedApps() > 0);
  }

  @Test
  void shouldPassOverAppsActiveSinceTheLastSortWhenEvictingForTheTotalBatchAfterBatch() {
    long length = padded("a", 0, 0).length; // as long for every one-letter app
    router = budgeted(100, 100, 1 << 20, 8 * length + length / 2, 1000, 1 << 20);
    int n = 0;
    for (String app : List.of("a", "a", "b", "b", "c", "c", "d", "d")) {
      clock.addAndGet(1_000);
      route(padded(app, n, n++));
    }
    List<Long> evictedPerStep = new ArrayList<>();
    for (String app : List.of("e", "b", "e", "f", "f")) {
      clock.addAndGet(1_000);
      long before = routerCounters.totalBudgetEvictions();
      route(padded(app, n, n++));
      evictedPerStep.add(routerCounters.totalBudgetEvictions() - before);
    }

    // e: a's oldest; b (now active): a's last; e: not b (active since), c's oldest; f: c's last;
    // f: d's oldest. The same as sorting every app again for every batch.
    assertEquals(List.of(1L, 1L, 1L, 1L, 1L), evictedPerStep);
    assertEquals(List.of(), numbers("a"));
    assertEquals(List.of(2, 3, 9), numbers("b"));
    assertEquals(List.of(), numbers("c"));
    assertEquals(List.of(7), numbers("d"));
    assertEquals(List.of(8, 10), numbers("e"));
    assertEquals(List.of(11, 12), numbers("f"));
    assertEquals(router.recentLogBytes(), heldBytes(List.of("a", "b", "c", "d", "e", "f")));
  }

  /** A LogMessage envelope of exactly {@code length} bytes. */
  private static byte[] logOfLength(String appId, int length) {
    int text = length;
    byte[] envelope = log(appId, "x".repeat(text));
    for (int tries = 0; envelope.length != length; tries++) {
      assertTrue(tries < 10, "no envelope of " + length + " bytes");
      text -= envelope.length - length;
      envelope = log(appId, "x".repeat(text));
    }
    return envelope;
  }

  @Test
  void shouldKeepAnEnvelopeOfTheLargestDatagramWhenEveryBudgetIsAtItsSmallest() {
    long smallest = 64 * 1024; // MemoryBudgets.MIN_QUEUE_BYTES
    int largest = DatagramSignature.MAX_ENVELOPE;
    router = budgeted(100, 100, smallest, 1 << 20, 1, smallest);
    RecordingTransport stream = RecordingTransport.stuck("stream");
    Subscriber subscriber =
        new Subscriber(1_000, smallest, stream, Runnable::run, sinkCounters, APP, "doppler", 0);
    router.subscribe(APP, subscriber);

    route(log(APP, "small before"));
    byte[] huge = logOfLength(APP, largest);
    route(huge);
    route(huge.clone());

    assertEquals(largest, huge.length);
    List<byte[]> kept = router.recentLogs(APP);
    assertEquals(1, kept.size(), "the latest line alone: two do not fit 64 KiB");
    assertArrayEquals(huge, kept.get(0));
    assertEquals(largest, router.recentLogBytes());
    assertEquals(2, routerCounters.appBudgetEvictions());
    assertTrue(subscriber.queuedBytes() <= smallest, subscriber.queuedBytes() + " bytes queued");
    assertTrue(subscriber.queued() >= 1);
  }

  @Test
  void shouldStayWithinTheTotalAndKeepTheNewestWhenThousandsOfAppsEachSendOneHugeLine() {
    long total = 1 << 20; // MemoryBudgets.MIN_TOTAL_BYTES
    router = budgeted(100, 10_000, 64 * 1024, total, 1000, 1 << 20);
    int apps = 3_000;
    int length = 60 * 1024;
    List<String> appIds = new ArrayList<>();
    for (int a = 0; a < apps; a++) {
      String appId = String.format("huge-%04d", a);
      appIds.add(appId);
      clock.addAndGet(1_000);
      route(logOfLength(appId, length));
      long used = router.recentLogBytes();
      assertTrue(used > 0 && used <= total, used + " bytes after app " + a);
    }

    assertEquals(apps, router.appCount());
    assertEquals(router.recentLogBytes(), heldBytes(appIds), "the account is the sum of the rings");
    long held = router.recentEnvelopes();
    assertTrue(
        held >= (total - total / 64) / length && held <= total / length,
        held + " lines: as many as the total holds, less the room eviction leaves");
    assertEquals(apps - held, routerCounters.totalBudgetEvictions());
    for (String appId : appIds.subList(apps - (int) held, apps)) {
      assertEquals(1, router.recentLogs(appId).size(), appId + ", among the latest, kept its line");
    }
  }

  @Test
  void shouldKeepASteadyAppsLogsWhenAnotherCyclesThroughAppIdsWithHugeLines() {
    long total = 1 << 20;
    router = budgeted(100, 10_000, 64 * 1024, total, 1000, 1 << 20);
    int cycle = 500;
    List<String> steadyLines = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      clock.addAndGet(1_000);
      route(logOfLength("cycling-" + (i % cycle), 30 * 1024));
      if (i % 10 == 0) {
        String line = "steady " + i;
        steadyLines.add(line);
        route(log("steady", clock.get(), line));
      }
    }

    assertEquals(
        steadyLines.subList(steadyLines.size() - 100, steadyLines.size()),
        messages(router.recentLogs("steady")),
        "its last 100 lines, as many as its ring counts: the least recently active lose theirs");
    assertTrue(router.recentLogBytes() <= total);
    assertTrue(routerCounters.totalBudgetEvictions() > 0);
  }

  @Test
  void shouldKeepTheAccountExactWhenAppsAreSweptAndEvictedWhileOthersAppend() throws Exception {
    long total = 200_000;
    router = budgeted(20, 50, 20_000, total, 1000, 1 << 20);
    List<String> appIds = new ArrayList<>();
    for (int a = 0; a < 300; a++) {
      appIds.add("churn-" + a);
    }
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong lowest = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      Thread appender =
          new Thread(
              () -> {
                EnvelopeReader ownReader = new EnvelopeReader();
                RoutingFields ownFields = new RoutingFields();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                  for (int i = 0; i < 20_000; i++) {
                    String appId = appIds.get(random.nextInt(appIds.size()));
                    byte[] envelope =
                        log(appId, clock.incrementAndGet(), "x".repeat(random.nextInt(4_000)));
                    ownReader.read(envelope, 0, envelope.length, ownFields);
                    router.route(envelope, ownFields);
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      appender.start();
      threads.add(appender);
    }
    Thread sweeper =
        new Thread(
            () -> {
              try {
                while (!stop.get()) {
                  clock.addAndGet(APP_TTL / 4);
                  router.sweep();
                  lowest.accumulateAndGet(router.recentLogBytes(), Math::min);
                }
              } catch (Throwable e) {
                failures.add(e);
              }
            });
    sweeper.start();
    for (Thread thread : threads) {
      thread.join();
    }
    stop.set(true);
    sweeper.join();

    assertTrue(failures.isEmpty(), failures.toString());
    assertEquals(0, lowest.get(), "never below zero");
    assertEquals(heldBytes(appIds), router.recentLogBytes(), "the sum of the tracked apps' rings");
    assertTrue(router.recentLogBytes() <= total, router.recentLogBytes() + " bytes");
    assertTrue(routerCounters.expiredApps() > 0 && routerCounters.evictedApps() > 0);
  }

  // ---- container metric caps

  @Test
  void shouldKeepAtMostTheInstanceCapAndCountTheRestWhenAnAppReportsManyInstances() {
    router = budgeted(5, 100, 1 << 20, 1 << 30, 3, 1 << 20);
    for (int instance = 0; instance < 6; instance++) {
      route(containerMetric(APP, instance, instance));
    }
    route(containerMetric(APP, 1, 99.0)); // a kept instance is still updated

    Map<Integer, Double> latest = new TreeMap<>();
    for (byte[] envelope : router.containerMetrics(APP)) {
      ContainerMetric metric = parse(envelope).getContainerMetric();
      latest.put(metric.getInstanceIndex(), metric.getCpuPercentage());
    }
    assertEquals(Map.of(0, 0.0, 1, 99.0, 2, 2.0), latest);
    assertEquals(3, routerCounters.droppedContainerMetricsForInstances());

    clock.addAndGet(METRIC_TTL + 1);
    route(containerMetric(APP, 4_000_000, 1.0)); // the expired ones make room

    assertEquals(1, router.containerMetrics(APP).size());
    assertEquals(3, routerCounters.droppedContainerMetricsForInstances());
  }

  @Test
  void shouldKeepAtMostTheAppsMetricBytesAndCountTheRestWhenInstancesAreMany() {
    long length = containerMetric(APP, 0, 1.0).length;
    router = budgeted(5, 100, 1 << 20, 1 << 30, 1000, 2 * length + length / 2);
    for (int instance = 0; instance < 5; instance++) {
      route(containerMetric(APP, instance, 1.0));
    }

    assertEquals(2, router.containerMetrics(APP).size());
    assertEquals(2 * length, router.containerMetricBytes());
    assertEquals(3, routerCounters.droppedContainerMetricsForBytes());
    assertEquals(0, routerCounters.droppedContainerMetricsForInstances());
  }

  @Test
  void shouldStillStreamContainerMetricsWhenTheyAreNotKept() {
    router = budgeted(5, 100, 1 << 20, 1 << 30, 1, 1 << 20);
    RecordingTransport stream = RecordingTransport.inline("stream");
    subscribeInline(APP, stream);

    route(containerMetric(APP, 0, 1.0));
    route(containerMetric(APP, 1, 1.0));

    assertEquals(1, router.containerMetrics(APP).size());
    assertEquals(2, stream.sendCount());
    assertFalse(stream.sends().isEmpty());
  }

  @Test
  void shouldKeepTheInstanceCapWhenInstanceIndicesAreRandomNegativeOrHuge() {
    router = budgeted(5, 100, 1 << 20, 1 << 30, 50, 1 << 30);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Set<Integer> kept = new HashSet<>();
    long refused = 0;
    for (int i = 0; i < 10_000; i++) {
      int instance =
          switch (i % 4) {
            case 0 -> Integer.MIN_VALUE + random.nextInt(10);
            case 1 -> Integer.MAX_VALUE - random.nextInt(10);
            case 2 -> -random.nextInt(1_000);
            default -> random.nextInt();
          };
      route(containerMetric(APP, instance, 1.0));
      if (kept.size() < 50) {
        kept.add(instance);
      } else if (!kept.contains(instance)) {
        refused++;
      }
    }

    Set<Integer> instances = new HashSet<>();
    for (byte[] envelope : router.containerMetrics(APP)) {
      instances.add(parse(envelope).getContainerMetric().getInstanceIndex());
    }
    assertEquals(kept, instances, "the first 50 instances, still updated");
    assertEquals(refused, routerCounters.droppedContainerMetricsForInstances());

    clock.addAndGet(METRIC_TTL + 1);
    route(containerMetric(APP, -7, 1.0));

    assertEquals(1, router.containerMetrics(APP).size(), "the expired ones made room");
  }

  @Test
  void shouldStillExpireAnInstanceWhenAnotherKeptBeforeItWasUpdatedMeanwhile() {
    router = budgeted(5, 100, 1 << 20, 1 << 30, 2, 1 << 20);
    route(containerMetric(APP, 0, 1.0));
    clock.addAndGet(METRIC_TTL / 2);
    route(containerMetric(APP, 1, 1.0));
    route(containerMetric(APP, 0, 2.0)); // the oldest kept is now 1's

    clock.addAndGet(METRIC_TTL / 2 + 1);
    route(containerMetric(APP, 2, 1.0)); // nothing expired yet: refused
    assertEquals(1, routerCounters.droppedContainerMetricsForInstances());

    clock.addAndGet(METRIC_TTL / 2);
    route(containerMetric(APP, 2, 1.0)); // 0 and 1 expired: kept

    assertEquals(1, routerCounters.droppedContainerMetricsForInstances());
    assertEquals(1, router.containerMetrics(APP).size());
  }

  @Test
  void shouldRefuseAFloodOfNewInstancesWithoutScanningEveryKeptOneForEach() {
    int instances = 100_000; // the largest doppler.maxInstancesPerApp
    router = budgeted(5, 100, 1 << 20, 1 << 30, instances, 1 << 30);
    List<byte[]> fill = new ArrayList<>();
    List<byte[]> flood = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      fill.add(containerMetric(APP, i, 1.0));
      flood.add(containerMetric(APP, -1 - i, 1.0));
    }
    for (byte[] envelope : fill) {
      route(envelope);
    }

    // Scanning the 100,000 kept for expiry at each refusal would take 10^10 steps.
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          for (byte[] envelope : flood) {
            route(envelope);
          }
        });

    assertEquals(instances, routerCounters.droppedContainerMetricsForInstances());
    assertEquals(instances, router.containerMetrics(APP).size());
  }
}
