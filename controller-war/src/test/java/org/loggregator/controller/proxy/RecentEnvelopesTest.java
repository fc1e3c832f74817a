package org.loggregator.controller.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.loggregator.protocol.RecentLogsQuery;
import org.loggregator.protocol.TestEnvelopes;
import org.loggregator.protocol.events.Envelope;

class RecentEnvelopesTest {
  private static final byte[] GARBAGE = {(byte) 0xff, (byte) 0xff, 0x07, 0x01};

  private static byte[] log(String text, long timestamp) {
    Envelope.Builder envelope = TestEnvelopes.log("app-1", text, timestamp);
    envelope.getLogMessageBuilder().clearSourceType().clearSourceInstance();
    return TestEnvelopes.bytes(envelope);
  }

  private static byte[] metric(int instance, long timestamp, long memoryBytes) {
    return TestEnvelopes.bytes(
        TestEnvelopes.containerMetric("app-1", instance, 1.5, memoryBytes, 1024)
            .setTimestamp(timestamp));
  }

  private static List<String> texts(List<byte[]> envelopes) throws Exception {
    java.util.ArrayList<String> texts = new java.util.ArrayList<>();
    for (byte[] envelope : envelopes) {
      texts.add(Envelope.parseFrom(envelope).getLogMessage().getMessage().toStringUtf8());
    }
    return texts;
  }

  @Test
  void shouldMergeEveryZonesRecentLogsByTimestampWhenTheyInterleave() throws Exception {
    List<byte[]> z1 = List.of(log("a", 100), log("d", 400), log("f", 600));
    List<byte[]> z2 = List.of(log("b", 200), log("c", 300), log("e", 500));
    List<byte[]> z3 = List.of();

    List<byte[]> merged = RecentEnvelopes.mergeByTimestamp(List.of(z1, z2, z3));

    assertEquals(List.of("a", "b", "c", "d", "e", "f"), texts(merged));
    assertSame(z2.get(0), merged.get(1), "the envelopes are passed on as they came");
  }

  @Test
  void shouldKeepTheNewestNOverAllZonesOldestFirstWhenLimited() throws Exception {
    // What each zone's doppler answers to limit=3: its own newest three.
    List<byte[]> z1 = List.of(log("z1-7", 700), log("z1-8", 800), log("z1-9", 900));
    List<byte[]> z2 = List.of(log("z2-1", 100), log("z2-2", 200), log("z2-85", 850));

    List<byte[]> merged =
        RecentEnvelopes.merge(List.of(z1, z2), new RecentLogsQuery(RecentLogsQuery.NO_START, 3));

    assertEquals(List.of("z1-8", "z2-85", "z1-9"), texts(merged));
  }

  @Test
  void shouldKeepOnlyThoseAtOrAfterTheStartTimeInEveryZoneWhenBounded() throws Exception {
    List<byte[]> z1 = List.of(log("a", 100), log("d", 400));
    List<byte[]> z2 = List.of(log("b", 200), log("c", 300), log("e", 500));

    assertEquals(
        List.of("c", "d", "e"),
        texts(
            RecentEnvelopes.merge(
                List.of(z1, z2), new RecentLogsQuery(300, RecentLogsQuery.NO_LIMIT))));
    assertEquals(
        List.of("d", "e"),
        texts(RecentEnvelopes.merge(List.of(z1, z2), new RecentLogsQuery(300, 2))));
  }

  @Test
  void shouldAnswerWhatItAlwaysDidWhenTheQueryIsEmpty() throws Exception {
    List<byte[]> z1 = List.of(log("a", 100), log("d", 400));
    List<byte[]> z2 = List.of(log("b", 200));

    assertEquals(
        texts(RecentEnvelopes.mergeByTimestamp(List.of(z1, z2))),
        texts(RecentEnvelopes.merge(List.of(z1, z2), RecentLogsQuery.ALL)));
  }

  @Test
  void shouldKeepZoneAndArrivalOrderWhenTimestampsAreEqual() throws Exception {
    List<byte[]> z1 = List.of(log("z1 first", 100), log("z1 second", 100));
    List<byte[]> z2 = List.of(log("z2 early", 50), log("z2 first", 100), log("z2 second", 100));

    List<byte[]> merged = RecentEnvelopes.mergeByTimestamp(List.of(z1, z2));

    assertEquals(
        List.of("z2 early", "z1 first", "z1 second", "z2 first", "z2 second"), texts(merged));
  }

  @Test
  void shouldSkipUnparsableBytesWhenMergingRecentLogs() throws Exception {
    List<byte[]> z1 = List.of(log("a", 100), GARBAGE);
    List<byte[]> z2 = List.of(new byte[0], log("b", 200));

    List<byte[]> merged = RecentEnvelopes.mergeByTimestamp(List.of(z1, z2));

    assertEquals(List.of("a", "b"), texts(merged));
  }

  @Test
  void shouldKeepTheLatestContainerMetricOfEachInstanceAcrossZones() {
    byte[] z1Instance0 = metric(0, 1_000, 10);
    byte[] z1Instance1Latest = metric(1, 3_000, 11);
    byte[] z2Instance0Latest = metric(0, 2_000, 20);
    byte[] z2Instance1 = metric(1, 500, 21);
    byte[] z2Instance2 = metric(2, 100, 22);
    byte[] z1Instance0Older = metric(0, 900, 12);

    List<byte[]> latest =
        RecentEnvelopes.latestPerInstance(
            List.of(
                List.of(z1Instance0, z1Instance1Latest, z1Instance0Older),
                List.of(z2Instance2, z2Instance0Latest, z2Instance1)));

    assertEquals(3, latest.size());
    assertSame(z2Instance0Latest, latest.get(0));
    assertSame(z1Instance1Latest, latest.get(1));
    assertSame(z2Instance2, latest.get(2));
  }

  @Test
  void shouldSkipUnparsableBytesWhenPickingTheLatestContainerMetrics() {
    byte[] instance0 = metric(0, 1_000, 10);

    List<byte[]> latest =
        RecentEnvelopes.latestPerInstance(
            List.of(List.of(GARBAGE, instance0), List.of(new byte[0], new byte[] {1, 2, 3})));

    assertEquals(1, latest.size());
    assertSame(instance0, latest.get(0));
  }

  @Test
  void shouldIgnoreEnvelopesThatAreNotContainerMetricsWhenPickingTheLatest() {
    byte[] instance0 = metric(0, 1_000, 10);

    List<byte[]> latest =
        RecentEnvelopes.latestPerInstance(List.of(List.of(instance0), List.of(log("a", 5_000))));

    assertEquals(1, latest.size());
    assertSame(instance0, latest.get(0));
  }

  @Test
  void shouldReturnNothingWhenNoZoneHoldsAnything() {
    assertEquals(List.of(), RecentEnvelopes.mergeByTimestamp(List.of(List.of(), List.of())));
    assertEquals(List.of(), RecentEnvelopes.latestPerInstance(List.of()));
  }
}
