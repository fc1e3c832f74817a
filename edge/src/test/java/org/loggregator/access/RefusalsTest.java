package org.loggregator.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loggregator.metrics.Counter;
import org.loggregator.metrics.MetricName;

class RefusalsTest {
  private static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final Decision NO_TOKEN = Decision.refuse(Refusal.NO_CREDENTIAL, "Send a token.");
  private static final Decision OTHER_APP = Decision.refuse(Refusal.OTHER_APP, "Not your app.");

  private final Logger logger = Logger.getLogger("org.loggregator.access.Refusals");
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          synchronized (records) {
            records.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private Level levelBefore;

  @BeforeEach
  void captureLog() {
    levelBefore = logger.getLevel();
    logger.setLevel(Level.INFO);
    logger.addHandler(capture);
  }

  @AfterEach
  void releaseLog() {
    logger.removeHandler(capture);
    logger.setLevel(levelBefore);
  }

  private Refusals refusals() {
    return new Refusals(
        MetricName.localCounters(), Map.of("component", "test"), nanos::get, INTERVAL);
  }

  private List<String> messages() {
    synchronized (records) {
      return records.stream().map(LogRecord::getMessage).toList();
    }
  }

  @Test
  void shouldCountEachRefusalUnderItsReasonWhenRecorded() {
    Refusals refusals = refusals();
    refusals.record(NO_TOKEN, "GET /a");
    refusals.record(NO_TOKEN, "GET /b");
    refusals.record(OTHER_APP, "GET /c");

    assertEquals(2, refusals.count(Refusal.NO_CREDENTIAL));
    assertEquals(1, refusals.count(Refusal.OTHER_APP));
    for (Refusal reason : Refusal.values()) {
      if (reason != Refusal.NO_CREDENTIAL && reason != Refusal.OTHER_APP) {
        assertEquals(0, refusals.count(reason), reason.name());
      }
    }
  }

  @Test
  void shouldCreateOneCounterPerReasonTaggedWithItWhenConstructed() {
    Map<MetricName, Counter> created = new HashMap<>();
    Function<MetricName, Counter> counters =
        name -> created.computeIfAbsent(name, n -> Counter.local());
    Refusals refusals =
        new Refusals(counters, Map.of("component", "doppler"), nanos::get, INTERVAL);

    refusals.record(Decision.refuse(Refusal.CAP, "Full."), "WebSocket /x");

    assertEquals(Refusal.values().length, created.size());
    for (MetricName name : created.keySet()) {
      assertEquals(Refusals.NAME, name.name());
      assertEquals("doppler", name.tags().get("component"));
    }
    MetricName cap =
        Refusals.REFUSED.tagged(Map.of("component", "doppler")).tagged("reason", "cap");
    assertEquals(1, created.get(cap).count());
  }

  @Test
  void shouldLogAtMostOncePerIntervalAndReasonAndTellHowManyMoreWhenRecorded() {
    Refusals refusals = refusals();

    refusals.record(NO_TOKEN, "GET /first");
    assertEquals(1, messages().size());
    String first = messages().get(0);
    assertTrue(first.contains("GET /first"), first);
    assertTrue(first.contains("no_credential"), first);
    assertTrue(first.contains("Send a token."), first);
    assertFalse(first.contains("more refused"), first);

    for (int i = 0; i < 4; i++) {
      nanos.addAndGet(INTERVAL.toNanos() / 10);
      refusals.record(NO_TOKEN, "GET /again" + i);
    }
    assertEquals(1, messages().size(), "within the interval nothing more is logged");

    refusals.record(OTHER_APP, "GET /other");
    assertEquals(2, messages().size(), "another reason has its own interval");
    assertTrue(messages().get(1).contains("other_app"));

    nanos.addAndGet(INTERVAL.toNanos());
    refusals.record(NO_TOKEN, "GET /later");
    assertEquals(3, messages().size());
    String later = messages().get(2);
    assertTrue(later.contains("GET /later"), later);
    assertTrue(later.contains(" 4 more refused for this reason since the last report."), later);

    nanos.addAndGet(INTERVAL.toNanos());
    refusals.record(NO_TOKEN, "GET /quiet");
    assertEquals(4, messages().size());
    assertFalse(messages().get(3).contains("more refused"), "the count starts again");
    assertEquals(7, refusals.count(Refusal.NO_CREDENTIAL), "every one is counted, logged or not");
    assertTrue(records.stream().allMatch(r -> r.getLevel() == Level.INFO));
  }

  @Test
  void shouldLogAgainExactlyWhenTheIntervalHasPassed() {
    Refusals refusals = refusals();
    refusals.record(NO_TOKEN, "GET /a");
    nanos.addAndGet(INTERVAL.toNanos() - 1);
    refusals.record(NO_TOKEN, "GET /b");
    assertEquals(1, messages().size());
    nanos.addAndGet(1);
    refusals.record(NO_TOKEN, "GET /c");
    assertEquals(2, messages().size());
    assertTrue(messages().get(1).contains(" 1 more refused"), messages().get(1));
  }

  @Test
  void shouldKeepTheIntervalWhenTheNanoClockOverflows() {
    nanos.set(Long.MAX_VALUE - 10);
    Refusals refusals = refusals();
    refusals.record(NO_TOKEN, "GET /a");
    nanos.addAndGet(20);
    refusals.record(NO_TOKEN, "GET /b");
    assertEquals(1, messages().size(), "times are compared by difference, across overflow");
    nanos.addAndGet(INTERVAL.toNanos());
    refusals.record(NO_TOKEN, "GET /c");
    assertEquals(2, messages().size());
  }

  @Test
  void shouldLogTheRequestPrintablyWhenItCarriesControlCharacters() {
    Refusals refusals = refusals();
    refusals.record(NO_TOKEN, "GET /a\r\nINFO: forged line\u0000\u001b[31m");
    String message = messages().get(0);
    assertFalse(message.contains("\n"), message);
    assertFalse(message.contains("\r"), message);
    assertFalse(message.contains("\u001b"), message);
    assertTrue(message.contains("GET /a??INFO: forged line??[31m"), message);
  }

  @Test
  void shouldReplaceControlCharactersAndCapTheLengthWhenMadePrintable() {
    assertEquals("GET /x", Refusals.printable("GET /x"));
    assertEquals("a?b?c?d?e", Refusals.printable("a\nb\tc\u007fd\u0085e"));
    assertEquals("caf\u00e9 \u00a0\u4e16", Refusals.printable("caf\u00e9 \u00a0\u4e16"));
    assertEquals("", Refusals.printable(""));
    String longRequest = "GET /" + "x".repeat(10_000);
    String printable = Refusals.printable(longRequest);
    assertEquals(200, printable.length());
    assertTrue(longRequest.startsWith(printable));
  }

  @Test
  void shouldTagEachReasonWithTheNamesTheDocumentsListWhenCounted() {
    assertEquals(
        List.of(
            "no_credential",
            "malformed",
            "bad_signature",
            "expired",
            "issuer",
            "audience",
            "replay",
            "keys_unavailable",
            "other_app",
            "scope",
            "origin",
            "cap",
            "unknown_route",
            "method",
            "bad_request"),
        Arrays.stream(Refusal.values()).map(Refusal::tag).toList());
  }
}
