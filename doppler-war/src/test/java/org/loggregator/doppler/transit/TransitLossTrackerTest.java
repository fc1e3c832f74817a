package org.loggregator.doppler.transit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.loggregator.metrics.MetricName;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.LogEnvelopeWriter;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.TransitTrailer;
import org.loggregator.protocol.events.Envelope;

class TransitLossTrackerTest {

  private final TransitCounters counters =
      new TransitCounters(MetricName.localCounters(), Map.of(), 2);
  private final TransitLossTracker tracker = new TransitLossTracker(1_000, 2, counters);
  private final EnvelopeReader reader = new EnvelopeReader();
  private final RoutingFields fields = new RoutingFields();

  /** An envelope of {@code appId} numbered {@code sequence} by agent {@code host}, read. */
  private RoutingFields numbered(String appId, long epoch, int sequence, String host) {
    return numberedInto(reader, fields, appId, epoch, sequence, host);
  }

  /** The same, read by {@code reader} into {@code into}: one of each per receiving thread. */
  private static RoutingFields numberedInto(
      EnvelopeReader reader,
      RoutingFields into,
      String appId,
      long epoch,
      int sequence,
      String host) {
    LogEnvelopeWriter writer = LogEnvelopeWriter.builder("agent").appId(appId).build();
    byte[] line = ("line " + sequence).getBytes(StandardCharsets.US_ASCII);
    byte[] buf = new byte[writer.encodedLength(1L, line.length) + TransitTrailer.MAX_LENGTH];
    int n = writer.write(buf, 0, LogEnvelopeWriter.OUT, 1L, line, 0, line.length);
    n += TransitTrailer.write(buf, n, epoch, sequence, TransitTrailer.hostBytes(host));
    assertEquals(ReadResult.OK, reader.read(buf, 0, n, into));
    return into;
  }

  private void send(String appId, long epoch, String host, int from, int to, int dropEvery) {
    for (int s = from; s < to; s++) {
      if (dropEvery == 0 || s % dropEvery != dropEvery - 1) {
        tracker.record(numbered(appId, epoch, s, host));
      }
    }
  }

  @Test
  void shouldAttributeLossesToEachAppAndHostWhenEveryNthIsDropped() {
    send("app-a", 1, "h1", 0, 100, 10); // 10 dropped, the last unseen
    send("app-b", 2, "h2", 0, 50, 5); // 10 dropped, the last unseen
    send("app-a", 3, "h2", 0, 30, 0);
    Map<String, Map<String, Long>> lost = new java.util.TreeMap<>();
    for (int i = 0; i < 2; i++) { // holes out of the window count at once, the others later
      tracker
          .flush()
          .lostByAppAndHost()
          .forEach(
              (app, byHost) ->
                  byHost.forEach(
                      (host, n) ->
                          lost.computeIfAbsent(app, a -> new java.util.TreeMap<>())
                              .merge(host, n, Long::sum)));
    }
    assertEquals(
        Map.of("app-a", Map.of("h1", 9L), "app-b", Map.of("h2", 9L)),
        lost,
        "the last dropped of each (99, 49) came after its last arrival: not seen");
    assertEquals(9, counters.lost("h1"));
    assertEquals(90, counters.received("h1"));
    assertEquals(9, counters.lost("h2"));
    assertEquals(40 + 30, counters.received("h2"));
  }

  @Test
  void shouldNotCountANewEpochAsLossWhenTheAgentRestarts() {
    send("app", 1, "h1", 0, 500, 0);
    send("app", 2, "h1", 0, 20, 0);
    tracker.flush();
    TransitLossTracker.Report report = tracker.flush();
    assertTrue(report.lostByAppAndHost().isEmpty());
    assertEquals(520, counters.received("h1"));
  }

  @Test
  void shouldKeepEachAppsCountsApartWhenTheirLinesInterleaveOrComeInRuns() {
    for (int s = 0; s < 300; s++) {
      if (s % 10 != 9) {
        tracker.record(numbered("a", 1, s, "h1"));
      }
      if (s % 3 == 0) { // a run of b's every third line of a
        for (int r = 0; r < 3; r++) {
          int sequence = s + r;
          if (sequence % 7 != 6) {
            tracker.record(numbered("b", 1, sequence, "h1"));
          }
        }
      }
      tracker.record(numbered("a", 2, s, "h1")); // the same app from another epoch
    }
    Map<String, Long> lost = new java.util.TreeMap<>();
    for (int i = 0; i < 2; i++) { // holes out of the window count at once, the others later
      tracker
          .flush()
          .lostByAppAndHost()
          .forEach((app, byHost) -> lost.merge(app, byHost.get("h1"), Long::sum));
    }
    assertEquals(
        Map.of("a", 29L, "b", 42L), lost, "a's last dropped (299) came after its last arrival");
    assertEquals(300 - 30 + 300 - 42 + 300, counters.received("h1"));
  }

  @Test
  void shouldNotTakeAnAppIdThatExtendsOrShortensTheLastSeenForIt() {
    send("app", 1, "h1", 0, 10, 0);
    send("app-2", 1, "h1", 0, 10, 0); // starts with the last one's id
    send("ap", 1, "h1", 0, 10, 0); // a prefix of it
    send("app", 1, "h1", 10, 20, 0);
    tracker.flush();
    tracker.flush();
    assertEquals(3, tracker.size());
    assertEquals(40, counters.received("h1"));
    assertEquals(0, counters.lost("h1"), "no app's numbers were taken for another's");
  }

  @Test
  void shouldCountExactlyWhenSeveralReceivingThreadsRecordInterleavedApps() throws Exception {
    int threads = 4;
    int perApp = 20_000;
    List<Thread> receivers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String app = "app-" + t;
      Thread receiver =
          new Thread(
              () -> {
                EnvelopeReader own = new EnvelopeReader();
                RoutingFields ownFields = new RoutingFields();
                for (int s = 0; s < perApp; s++) {
                  if (s % 100 != 99) { // every hundredth lost
                    tracker.record(numberedInto(own, ownFields, app, 1, s, "h1"));
                  }
                }
              });
      receivers.add(receiver);
      receiver.start();
    }
    for (Thread receiver : receivers) {
      receiver.join();
    }
    tracker.flush();
    tracker.flush();
    assertEquals(threads * perApp / 100 * 99, counters.received("h1"));
    assertEquals(threads * (perApp / 100 - 1), counters.lost("h1"), "the last of each unseen");
  }

  @Test
  void shouldStartAFreshEntryForAnAppWhoseEntryWasForgottenWhileItWasTheLastSeen() {
    send("app", 1, "h1", 0, 3, 0);
    tracker.flush();
    tracker.flush();
    tracker.flush();
    assertEquals(0, tracker.size(), "forgotten");

    send("app", 1, "h1", 3, 10, 0);
    assertEquals(1, tracker.size(), "tracked again, not fed to the forgotten entry");
    tracker.flush();
    tracker.flush();
    assertEquals(10, counters.received("h1"));
  }

  @Test
  void shouldSkipEnvelopesWithoutATrailer() {
    LogEnvelopeWriter writer = LogEnvelopeWriter.builder("emitter").appId("app").build();
    byte[] buf = new byte[200];
    int n = writer.write(buf, 0, LogEnvelopeWriter.OUT, 1L, new byte[] {'x'}, 0, 1);
    assertEquals(ReadResult.OK, reader.read(buf, 0, n, fields));
    tracker.record(fields);
    assertEquals(0, tracker.size());
  }

  @Test
  void shouldTrackNoMoreThanItsBoundAndCountTheRest() {
    TransitLossTracker small = new TransitLossTracker(16, 2, counters);
    for (int i = 0; i < 200; i++) {
      small.record(numbered("app-" + i, 1, 0, "h1"));
    }
    assertTrue(small.size() <= 16);
    assertEquals(200 - small.size(), counters.untrackedTableFull());
  }

  @Test
  void shouldForgetIdleEntriesAndCountThem() {
    send("app", 1, "h1", 0, 3, 0);
    tracker.flush();
    tracker.flush();
    assertEquals(1, tracker.size());
    tracker.flush();
    assertEquals(0, tracker.size());
    assertEquals(1, counters.evicted());
  }

  @Test
  void shouldCountAgentsPastTheBoundUnderOther() {
    for (String host : List.of("h1", "h2", "h3", "h4")) {
      send("app-" + host, 1, host, 0, 5, 0);
    }
    tracker.flush();
    assertEquals(5, counters.received("h1"));
    assertEquals(5, counters.received("h2"));
    assertEquals(10, counters.received(TransitCounters.OTHER_AGENTS));
  }

  @Test
  void shouldInjectOneNoticePerAppWithLossesNamingHostsAndDoppler() throws Exception {
    send("app-a", 1, "h1", 0, 40, 0);
    send("app-a", 1, "h1", 77, 78, 0); // 40 .. 76 lost: 37
    send("app-a", 9, "h3", 0, 3, 0);
    send("app-a", 9, "h3", 5, 6, 0); // 3, 4 lost
    send("app-b", 4, "h1", 0, 10, 0);
    tracker.flush();
    List<String> notices = new ArrayList<>();
    int n =
        new TransitNotices(
                (app, envelope) -> {
                  try {
                    Envelope e = Envelope.parseFrom(envelope);
                    assertEquals(app, e.getLogMessage().getAppId());
                    assertEquals("LGR", e.getLogMessage().getSourceType());
                    notices.add(app + ": " + e.getLogMessage().getMessage().toStringUtf8());
                  } catch (Exception ex) {
                    throw new AssertionError(ex);
                  }
                },
                "doppler",
                "d2:3458",
                5)
            .publish(tracker.flush());
    assertEquals(1, n);
    assertEquals(
        List.of(
            "app-a: 37 log lines from host h1 and 2 from host h3 were lost in transit to doppler"
                + " d2:3458 in the last 5 s"),
        notices);
  }

  @Test
  void shouldLeaveTheTrailerWhereTheRouterCutsItOff() {
    RoutingFields f = numbered("app", 1, 0, "h1");
    byte[] cut = java.util.Arrays.copyOf(f.buffer(), f.transitStart());
    LogEnvelopeWriter writer = LogEnvelopeWriter.builder("agent").appId("app").build();
    byte[] line = "line 0".getBytes(StandardCharsets.US_ASCII);
    byte[] plain = new byte[writer.encodedLength(1L, line.length)];
    writer.write(plain, 0, LogEnvelopeWriter.OUT, 1L, line, 0, line.length);
    assertArrayEquals(plain, cut);
  }
}
