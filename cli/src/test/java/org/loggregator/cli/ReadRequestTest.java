package org.loggregator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loggregator.protocol.RecentLogsQuery;
import org.loggregator.protocol.events.LogMessage;

class ReadRequestTest {
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  private static final long NOW_NANOS = NOW.getEpochSecond() * 1_000_000_000L;

  private static ReadRequest request(String... args) throws CommandException {
    return ReadRequest.of(CommandLineTest.parse(args), NOW);
  }

  @Test
  void shouldTailWhenNeitherRecentLinesNorSinceIsGiven() throws Exception {
    ReadRequest tail = request("app");
    assertFalse(tail.recent());
    assertTrue(tail.follow());
    assertEquals(tail, request("app", "--follow"));
  }

  @Test
  void shouldPrintRecentAndExitUnlessFollowIsGiven() throws Exception {
    for (String[] args :
        new String[][] {{"app", "--recent"}, {"app", "-n", "5"}, {"app", "--since", "1h"}}) {
      assertTrue(request(args).recent());
      assertFalse(request(args).follow());
    }
    ReadRequest both = request("app", "--recent", "--follow");
    assertTrue(both.recent());
    assertTrue(both.follow());
  }

  @Test
  void shouldAskTheServerForTheLastNWhenNothingIsFilteredHere() throws Exception {
    ReadRequest lines = request("app", "--lines", "20");
    assertEquals(new RecentLogsQuery(RecentLogsQuery.NO_START, 20), lines.query());
    assertEquals(ReadRequest.ALL_LINES, lines.linesKeptHere());
    assertEquals(RecentLogsQuery.ALL, request("app", "--recent").query());
  }

  @Test
  void shouldAskForEverythingAndKeepTheLastNHereWhenLinesAreFiltered() throws Exception {
    ReadRequest filtered = request("app", "-n", "20", "--type", "err");
    assertEquals(RecentLogsQuery.ALL, filtered.query());
    assertEquals(20, filtered.linesKeptHere());
  }

  @Test
  void shouldCountSinceBackFromNowWhenItIsADuration() throws Exception {
    assertEquals(NOW_NANOS - 600_000_000_000L, request("app", "--since", "10m").startTime());
    assertEquals(NOW_NANOS - 3_600_000_000_000L, request("app", "--since", "1h").startTime());
    assertEquals(NOW_NANOS - 30_000_000_000L, request("app", "--since", "30s").startTime());
    assertEquals(NOW_NANOS - 172_800_000_000_000L, request("app", "--since", "2d").startTime());
    assertEquals(NOW_NANOS - 500_000_000L, request("app", "--since", "500ms").startTime());
    assertEquals(
        new RecentLogsQuery(NOW_NANOS - 600_000_000_000L, 5),
        request("app", "--since", "10m", "-n", "5").query());
  }

  @Test
  void shouldReadSinceAsRfc3339WhenItIsATime() throws Exception {
    assertEquals(
        1_714_564_800_000_000_000L, request("app", "--since", "2024-05-01T12:00:00Z").startTime());
    assertEquals(
        1_714_564_800_123_456_789L,
        request("app", "--since", "2024-05-01T14:00:00.123456789+02:00").startTime());
    assertEquals(
        1_714_564_800_000_000_000L, request("app", "--since", "2024-05-01 12:00:00z").startTime());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "10", "10 m", "-10m", "10y", "yesterday", "2024-05-01", "2024-05-01T12:00:00"})
  void shouldRefuseNamingSinceWhenItIsNeitherADurationNorATime(String since) {
    CommandException e =
        assertThrows(CommandException.class, () -> request("app", "--since", since));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().startsWith("Option --since must be"), e.getMessage());
  }

  @Test
  void shouldRefuseASinceBeyondWhatNanosecondsHold() {
    CommandException e =
        assertThrows(
            CommandException.class, () -> request("app", "--since", "2300-01-01T00:00:00Z"));
    assertTrue(e.getMessage().contains("2262"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "10001", "1e3", "", "99999999999", " 5x"})
  void shouldRefuseNamingLinesWhenItIsNotFromZeroToTenThousand(String lines) {
    CommandException e =
        assertThrows(CommandException.class, () -> request("app", "--lines", lines));
    assertTrue(e.getMessage().startsWith("Option --lines must be"), e.getMessage());
  }

  @Test
  void shouldFilterBySourceInAnyCaseAndByInstanceAndType() throws Exception {
    ReadRequest request =
        request("app", "--source", "app", "--source", "RTR", "--instance", "1", "--type", "ERR");
    assertEquals(Set.of("APP", "RTR"), request.filter().sourceTypes());
    LogMessage rtr1err =
        LogMessage.newBuilder()
            .setMessage(com.google.protobuf.ByteString.copyFromUtf8("x"))
            .setMessageType(LogMessage.MessageType.ERR)
            .setTimestamp(1)
            .setSourceType("Rtr")
            .setSourceInstance("1")
            .build();
    assertTrue(request.filter().accepts(rtr1err));
    assertFalse(request.filter().accepts(rtr1err.toBuilder().setSourceInstance("2").build()));
    assertFalse(request.filter().accepts(rtr1err.toBuilder().setSourceType("STG").build()));
    assertFalse(
        request
            .filter()
            .accepts(rtr1err.toBuilder().setMessageType(LogMessage.MessageType.OUT).build()));
    assertTrue(request("app").filter().isAll());
  }
}
