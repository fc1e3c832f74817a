package org.loggregator.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loggregator.protocol.events.Envelope;

class RecentLogsQueryTest {

  private static List<byte[]> sorted(long... timestamps) {
    List<byte[]> envelopes = new ArrayList<>();
    for (long t : timestamps) {
      envelopes.add(TestEnvelopes.bytes(TestEnvelopes.log("app", "t" + t, t)));
    }
    return envelopes;
  }

  private static List<Long> timestamps(List<byte[]> envelopes) throws Exception {
    List<Long> out = new ArrayList<>();
    for (byte[] e : envelopes) {
      out.add(Envelope.parseFrom(e).getTimestamp());
    }
    return out;
  }

  @Test
  void shouldAnswerEverythingWhenTheQueryIsAbsentOrHasOnlyOtherParameters() {
    assertSame(RecentLogsQuery.ALL, RecentLogsQuery.parse(null));
    assertSame(RecentLogsQuery.ALL, RecentLogsQuery.parse(""));
    assertTrue(RecentLogsQuery.parse("x=1&start_timex=2&%zz=3&&").isAll());
    List<byte[]> all = sorted(1, 2, 3);
    assertSame(all, RecentLogsQuery.ALL.select(all));
  }

  @Test
  void shouldReadBothParametersWhenGivenInAnyOrderOrEncoding() {
    assertEquals(new RecentLogsQuery(5, 7), RecentLogsQuery.parse("limit=7&start_time=5"));
    assertEquals(new RecentLogsQuery(5, 7), RecentLogsQuery.parse("start%5Ftime=5&limit=%37"));
    assertEquals(
        new RecentLogsQuery(Long.MAX_VALUE, RecentLogsQuery.NO_LIMIT),
        RecentLogsQuery.parse("start_time=9223372036854775807"));
    assertEquals(new RecentLogsQuery(0, 10_000), RecentLogsQuery.parse("start_time=0&limit=10000"));
  }

  @Test
  void shouldWriteTheQueryItParsesBack() {
    for (RecentLogsQuery q :
        List.of(
            new RecentLogsQuery(5, 7),
            new RecentLogsQuery(5, RecentLogsQuery.NO_LIMIT),
            new RecentLogsQuery(RecentLogsQuery.NO_START, 1))) {
      assertEquals(q, RecentLogsQuery.parse(q.toQuery()));
    }
    assertEquals("start_time=5&limit=7", new RecentLogsQuery(5, 7).toQuery());
    assertEquals("", RecentLogsQuery.ALL.toQuery());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "start_time=",
        "start_time",
        "start_time=-1",
        "start_time=+1",
        "start_time=1.5",
        "start_time=1e9",
        "start_time=0x10",
        "start_time=%2D1",
        "start_time=1+",
        "start_time=%zz",
        "start_time=9223372036854775808",
        "start_time=99999999999999999999",
        "start_time=00000000000000000000001",
        "start_time=١٢٣"
      })
  void shouldRefuseNamingStartTimeWhenItIsNotAWholeNumberInRange(String query) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RecentLogsQuery.parse(query));
    assertEquals(RecentLogsQuery.BAD_START_TIME, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "limit=",
        "limit=0",
        "limit=-5",
        "limit=10001",
        "limit=2147483648",
        "limit=9223372036854775807",
        "limit=1000000000000000000000000000",
        "limit=ten"
      })
  void shouldRefuseNamingLimitWhenItIsNotAWholeNumberFromOneToTheCap(String query) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RecentLogsQuery.parse(query));
    assertEquals(RecentLogsQuery.BAD_LIMIT, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit=1&limit=1", "start_time=1&start%5Ftime=1", "limit=1&limit=x"})
  void shouldRefuseAParameterGivenTwice(String query) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RecentLogsQuery.parse(query));
    assertTrue(e.getMessage().startsWith("Query parameter "), e.getMessage());
    assertTrue(e.getMessage().endsWith(" may be given only once."), e.getMessage());
  }

  @Test
  void shouldNeverRepeatTheValueInItsSentence() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> RecentLogsQuery.parse("limit=%3Cscript%3E"));
    assertFalse(e.getMessage().contains("script"));
  }

  @Test
  void shouldKeepTheNewestWithinTheLimitOldestFirstWhenLimited() throws Exception {
    List<byte[]> kept = new RecentLogsQuery(RecentLogsQuery.NO_START, 2).select(sorted(1, 2, 3, 4));
    assertEquals(List.of(3L, 4L), timestamps(kept));
    assertEquals(
        List.of(1L, 2L),
        timestamps(new RecentLogsQuery(RecentLogsQuery.NO_START, 10).select(sorted(1, 2))));
  }

  @Test
  void shouldKeepThoseAtOrAfterTheStartTimeWhenBounded() throws Exception {
    assertEquals(
        List.of(3L, 3L, 4L),
        timestamps(new RecentLogsQuery(3, RecentLogsQuery.NO_LIMIT).select(sorted(1, 2, 3, 3, 4))));
    assertEquals(
        List.of(), timestamps(new RecentLogsQuery(5, RecentLogsQuery.NO_LIMIT).select(sorted(1))));
    assertEquals(List.of(4L), timestamps(new RecentLogsQuery(2, 1).select(sorted(1, 2, 3, 4))));
    assertEquals(List.of(3L, 4L), timestamps(new RecentLogsQuery(3, 5).select(sorted(1, 2, 3, 4))));
  }

  @Test
  void shouldTreatAnUnreadableEnvelopeAsTimestampZeroWhenBounded() throws Exception {
    List<byte[]> envelopes = new ArrayList<>(List.of(new byte[] {1, 2, 3}));
    envelopes.addAll(sorted(7));
    assertEquals(List.of(7L), timestamps(new RecentLogsQuery(1, 5).select(envelopes)));
    assertEquals(2, new RecentLogsQuery(0, 5).select(envelopes).size());
  }
}
