package org.loggregator.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.loggregator.cli.CommandException;
import org.loggregator.cli.ExitCode;
import org.loggregator.cli.format.LogFilter;
import org.loggregator.protocol.RecentLogsQuery;
import org.loggregator.protocol.TestEnvelopes;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

/**
 * The seam of recent and live logs, driven step by step from one thread: a scripted recent-logs
 * source, live envelopes handed over in a chosen order, the printed lines recorded.
 */
class RecentThenLiveTest {
  private final List<String> printed = new ArrayList<>();
  private final List<RecentLogsQuery> asked = new ArrayList<>();
  private final Deque<Object> answers = new ArrayDeque<>();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private boolean outputOpen = true;

  private static byte[] line(String text, long timestamp) {
    return line(text, timestamp, "APP");
  }

  private static byte[] line(String text, long timestamp, String source) {
    Envelope.Builder envelope = TestEnvelopes.log("app", text, timestamp);
    envelope.getLogMessageBuilder().setSourceType(source);
    return TestEnvelopes.bytes(envelope);
  }

  private static List<LogEnvelope> recent(byte[]... envelopes) {
    List<LogEnvelope> list = new ArrayList<>();
    for (byte[] e : envelopes) {
      list.add(LogEnvelope.of(e));
    }
    return list;
  }

  private RecentThenLive seam(RecentLogsQuery query, LogFilter filter, int lines) {
    return new RecentThenLive(
        q -> {
          asked.add(q);
          Object next = answers.removeFirst();
          if (next instanceof CommandException e) {
            throw e;
          }
          @SuppressWarnings("unchecked")
          List<LogEnvelope> list = (List<LogEnvelope>) next;
          return list;
        },
        query,
        filter,
        lines,
        log -> {
          printed.add(log.getMessage().toStringUtf8());
          return outputOpen;
        },
        new PrintStream(errBytes, true, StandardCharsets.UTF_8));
  }

  private RecentThenLive seam() {
    return seam(RecentLogsQuery.ALL, LogFilter.ALL, -1);
  }

  @Test
  void shouldPrintRecentThenHeldBackLiveSkippingWhatWasRecentWhenTheyOverlap() throws Exception {
    byte[] a = line("a", 1);
    byte[] b = line("b", 2);
    byte[] c = line("c", 3);
    byte[] d = line("d", 4);
    RecentThenLive seam = seam();
    // The stream delivers b, c while the recent logs are fetched: b is in both.
    assertTrue(seam.live(b));
    assertTrue(seam.live(c));
    answers.add(recent(a, b));

    seam.printRecent();
    seam.live(d);

    assertEquals(List.of("a", "b", "c", "d"), printed);
    assertEquals(List.of(RecentLogsQuery.ALL), asked, "one fetch: the stream was already flowing");
  }

  @Test
  void shouldSkipARecentLineThatArrivesLiveLateAndPrintEverythingElseOnce() throws Exception {
    byte[] a = line("a", 1);
    byte[] b = line("b", 2);
    byte[] c = line("c", 3);
    RecentThenLive seam = seam();
    seam.live(a); // already flowing before the fetch
    answers.add(recent(a, b));

    seam.printRecent();
    seam.live(b); // was among the recent logs, delivered live after them
    seam.live(c);
    seam.live(b); // a second, identical line later is a line of its own

    assertEquals(List.of("a", "b", "c", "b"), printed);
  }

  @Test
  void shouldPrintLinesThatReachedTheDopplerBeforeItsStreamOpenedWhenTheFirstLiveOneComes()
      throws Exception {
    byte[] a = line("a", 10);
    byte[] b = line("b", 20);
    byte[] c = line("c", 30); // reached the doppler after the fetch, before its stream opened
    byte[] d = line("d", 40); // the first one the stream carries
    byte[] e = line("e", 50);
    RecentThenLive seam = seam();
    answers.add(recent(a, b));
    answers.add(recent(b, c, d));

    seam.printRecent();
    assertEquals(List.of("a", "b"), printed);
    seam.live(d);
    seam.live(c); // and should it come live after all, it is not printed again
    seam.live(e);

    assertEquals(List.of("a", "b", "c", "d", "e"), printed);
    assertEquals(
        List.of(RecentLogsQuery.ALL, new RecentLogsQuery(20, RecentLogsQuery.NO_LIMIT)), asked);
  }

  @Test
  void shouldPrintNothingAfterTheFirstLiveLineFromTheSecondFetchWhenThoseComeLiveToo()
      throws Exception {
    byte[] before = line("before", 10);
    byte[] after1 = line("after 1", 20); // the first the stream carries
    byte[] after2 = line("after 2", 20); // same read, same timestamp
    byte[] after3 = line("after 3", 21);
    RecentThenLive seam = seam();
    answers.add(recent(before));
    answers.add(recent(before, after1, after2, after3)); // all at the doppler by then

    seam.printRecent();
    seam.live(after1);
    seam.live(after2);
    seam.live(after3);

    assertEquals(List.of("before", "after 1", "after 2", "after 3"), printed);
  }

  @Test
  void shouldStopAtTheFirstLiveLinesTimeWhenTheSecondFetchDoesNotHoldIt() throws Exception {
    RecentThenLive seam = seam();
    answers.add(recent(line("a", 10)));
    answers.add(recent(line("a", 10), line("missed", 15), line("later", 30)));

    seam.printRecent();
    seam.live(line("first live", 20));
    seam.live(line("later", 30));

    assertEquals(List.of("a", "missed", "first live", "later"), printed);
  }

  @Test
  void shouldSaySoAndGoOnWhenTheSecondFetchFails() throws Exception {
    RecentThenLive seam = seam();
    answers.add(recent(line("a", 1)));
    answers.add(new CommandException(ExitCode.UNREACHABLE, "Cannot reach the log endpoint x."));

    seam.printRecent();
    seam.live(line("b", 2));

    assertEquals(List.of("a", "b"), printed);
    assertTrue(
        errBytes.toString(StandardCharsets.UTF_8).startsWith("Could not check for lines missed"));
  }

  @Test
  void shouldSkipIdenticalRecentLinesAsOftenAsTheyWereRecent() throws Exception {
    byte[] same = line("same", 5);
    RecentThenLive seam = seam();
    seam.live(same);
    seam.live(same);
    answers.add(recent(same, same));

    seam.printRecent();
    seam.live(same);

    assertEquals(List.of("same", "same", "same"), printed);
  }

  @Test
  void shouldPrintOnlyTheLastFilteredLinesButSkipEveryFetchedOneWhenItComesLive() throws Exception {
    byte[] a = line("a", 1, "APP");
    byte[] b = line("b", 2, "RTR");
    byte[] c = line("c", 3, "APP");
    byte[] d = line("d", 4, "APP");
    RecentThenLive seam =
        seam(
            RecentLogsQuery.ALL,
            new LogFilter(Set.of("APP"), Set.of(), Set.of(LogMessage.MessageType.OUT)),
            1);
    seam.live(a);
    seam.live(b);
    answers.add(recent(a, b, c));

    seam.printRecent();
    seam.live(d);
    seam.live(line("e", 5, "RTR"));

    assertEquals(List.of("c", "d"), printed);
  }

  @Test
  void shouldTellWhenTheOutputIsClosed() throws Exception {
    RecentThenLive seam = seam();
    seam.live(line("a", 1));
    answers.add(recent());
    outputOpen = false;

    seam.printRecent();

    assertFalse(seam.outputOpen());
    assertFalse(seam.live(line("b", 2)));
    assertEquals(List.of("a"), printed, "nothing after the output closed");
  }

  @Test
  void shouldDropTheOldestHeldBackAndSaySoWhenTooManyComeDuringTheFetch() throws Exception {
    RecentThenLive seam = seam();
    byte[] first = line("first", 1);
    seam.live(first);
    for (int i = 0; i < RecentThenLive.MAX_HELD; i++) {
      seam.live(line("x", 2));
    }
    answers.add(recent());

    seam.printRecent();

    assertEquals(RecentThenLive.MAX_HELD, printed.size());
    assertFalse(printed.contains("first"));
    assertTrue(
        errBytes
            .toString(StandardCharsets.UTF_8)
            .startsWith("1 live log messages were dropped while the recent logs were fetched"));
  }

  @Test
  void shouldAskFromTheSinceTimeWhenNothingRecentWasThere() throws Exception {
    RecentThenLive seam = seam(new RecentLogsQuery(100, 5), LogFilter.ALL, -1);
    answers.add(recent());
    answers.add(recent(line("gap", 150)));

    seam.printRecent();
    seam.live(line("live", 200));

    assertEquals(List.of("gap", "live"), printed);
    assertEquals(
        List.of(new RecentLogsQuery(100, 5), new RecentLogsQuery(100, RecentLogsQuery.NO_LIMIT)),
        asked);
  }
}
