package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loggregator.metrics.MetricName;

class DrainTest {
  private static final String APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";

  private final DrainCounters counters = new DrainCounters(MetricName.localCounters(), Map.of());
  private final FakeDrainWriter writer = new FakeDrainWriter();
  private final List<String> notices = new CopyOnWriteArrayList<>();
  private Drain drain;

  @AfterEach
  void closeDrain() throws InterruptedException {
    if (drain != null) {
      drain.close();
      assertTrue(drain.awaitStopped(5000), "the writer thread ends when closed");
    }
  }

  private Drain drain(String url, int capacity, Duration base) {
    drain =
        new Drain(
            APP,
            DrainUrl.parse(url),
            writer,
            capacity,
            new SyslogFormatter("loggregator"),
            TestBackoffs.of(base, base.multipliedBy(4)),
            counters.of(DrainUrl.parse(url).scheme()),
            (appId, text) -> {
              assertEquals(APP, appId);
              notices.add(text);
            });
    return drain;
  }

  private Drain drain(int capacity) {
    return drain("syslog://127.0.0.1:5140", capacity, Duration.ofMillis(2));
  }

  private static void offer(Drain drain, int from, int to) {
    for (int i = from; i < to; i++) {
      drain.offer(SyslogFormatterTest.log("line " + i));
    }
  }

  private static List<String> lines(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "line " + i).toList();
  }

  @Test
  void shouldWriteBatchesInOrderAndFlushOncePerBatchWhenManyLinesWait() throws Exception {
    Drain d = drain(10_000);
    offer(d, 0, 1000);

    d.start(Thread::new);

    assertTrue(writer.awaitMessages(1000));
    assertEquals(lines(0, 1000), writer.messages());
    assertEquals(2, writer.batchCount(), "512 + 488 frames, one write and flush each");
    assertEquals(1, writer.connects.get());
    // The writer counts a batch as sent after its write returns: wait for the count.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (counters.of(DrainUrl.Scheme.SYSLOG).sent() < 1000 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(1000, counters.of(DrainUrl.Scheme.SYSLOG).sent());
  }

  @Test
  void shouldDropTheOldestAndCountThemWhenTheDrainFallsBehind() throws Exception {
    Drain d = drain(16);
    offer(d, 0, 100);

    assertEquals(84, counters.of(DrainUrl.Scheme.SYSLOG).dropped());
    assertEquals(84, d.takeDropped());
    assertEquals(0, d.takeDropped(), "each drop is told once");
    d.start(Thread::new);
    assertTrue(writer.awaitMessages(16));
    assertEquals(lines(84, 100), writer.messages());
  }

  @Test
  void shouldNoticeEachBackoffStepAndResumeWhenTheDrainComesBack() throws Exception {
    writer.connectFailures = 3;
    Drain d = drain(100);
    d.start(Thread::new);

    offer(d, 0, 5);

    assertTrue(writer.awaitMessages(5));
    assertEquals(lines(0, 5), writer.messages());
    assertEquals(4, writer.connects.get());
    assertEquals(3, counters.of(DrainUrl.Scheme.SYSLOG).errors());
    assertEquals(3, notices.size(), notices.toString());
    assertEquals(
        "Syslog drain syslog://127.0.0.1:5140: could not deliver. Backing off for 1ms.",
        notices.get(0));
  }

  @Test
  void shouldWriteTheSameBatchAfterReconnectingWhenAWriteFails() throws Exception {
    writer.writeFailures = 1;
    Drain d = drain(100);
    offer(d, 0, 3);

    d.start(Thread::new);

    assertTrue(writer.awaitMessages(3));
    assertEquals(lines(0, 3), writer.messages());
    assertEquals(2, writer.connects.get());
    assertTrue(writer.closes.get() >= 1, "the broken connection was closed");
    assertEquals(0, counters.of(DrainUrl.Scheme.SYSLOG).dropped());
  }

  @Test
  void shouldGiveUpABatchAndCountItWhenItsWritesKeepFailing() throws Exception {
    writer.writeFailures = Drain.MAX_BATCH_ATTEMPTS;
    Drain d = drain(100);
    offer(d, 0, 3);
    d.start(Thread::new);
    while (writer.writeFailures > 0 || d.queued() > 0) {
      Thread.sleep(5);
    }

    offer(d, 3, 4);

    assertTrue(writer.awaitMessages(1));
    assertEquals(List.of("line 3"), writer.messages());
    assertEquals(3, counters.of(DrainUrl.Scheme.SYSLOG).dropped());
    assertEquals(3, d.takeDropped());
  }

  @Test
  void shouldDropTheBatchAndGoOnWhenTheDrainRefusesIt() throws Exception {
    writer.rejections = 1;
    Drain d = drain("https://logs.example.com/in", 100, Duration.ofMillis(1));
    offer(d, 0, 2);
    d.start(Thread::new);
    while (writer.rejections > 0) {
      Thread.sleep(5);
    }

    offer(d, 2, 3);

    assertTrue(writer.awaitMessages(1));
    assertEquals(List.of("line 2"), writer.messages());
    assertEquals(2, counters.of(DrainUrl.Scheme.HTTPS).dropped());
    assertEquals(
        "Syslog drain https://logs.example.com:443: could not deliver. Backing off for 0ms.",
        notices.get(0));
  }

  @Test
  void shouldDropTheBatchAndGoOnWhenTheWriterThrowsAnError() throws Exception {
    writer.errors = 1;
    Drain d = drain(100);
    offer(d, 0, 2);
    d.start(Thread::new);
    while (writer.errors > 0) {
      Thread.sleep(5);
    }

    offer(d, 2, 3);

    assertTrue(writer.awaitMessages(1));
    assertEquals(List.of("line 2"), writer.messages());
    assertEquals(2, counters.of(DrainUrl.Scheme.SYSLOG).dropped());
    assertEquals(null, d.problem(), "the writer survived");
  }

  @Test
  void shouldReportAWriterThatAVirtualMachineErrorEnded() throws Exception {
    writer.errors = 1;
    writer.error = new OutOfMemoryError("injected");
    Drain d = drain(100);
    offer(d, 0, 2);
    Thread thread = new Thread(d);
    thread.setUncaughtExceptionHandler((t, e) -> {});
    d.start(runnable -> thread);
    thread.join(5000);

    String problem = d.problem();
    assertTrue(problem != null && problem.contains("ended: java.lang.OutOfMemoryError"), problem);
  }

  @Test
  void shouldStopPromptlyWhenClosedWhileBackingOff() throws Exception {
    writer.connectFailures = Integer.MAX_VALUE;
    Drain d = drain("syslog://127.0.0.1:5140", 100, Duration.ofMinutes(1));
    d.start(Thread::new);
    offer(d, 0, 1);
    while (notices.isEmpty()) {
      Thread.sleep(5);
    }

    d.close();

    assertTrue(d.awaitStopped(2000), "the backoff wait ends when the drain closes");
    assertEquals(1, notices.size());
  }

  @Test
  void shouldStopWhenClosedWhileAWriteIsStalled() throws Exception {
    writer.stall = new CountDownLatch(1);
    Drain d = drain(100);
    d.start(Thread::new);
    offer(d, 0, 1);
    Thread.sleep(50);

    d.close();

    assertTrue(d.awaitStopped(2000), "closing interrupts the stalled write");
    assertTrue(d.isClosed());
    d.offer(SyslogFormatterTest.log("ignored"));
    assertEquals(0, d.queued());
  }

  @Test
  void shouldNeverShowCredentialsWhenAFailureMessageHoldsTheUrl() throws Exception {
    String secretUrl = "https://user:pw@logs.example.com/in?token=abc";
    writer.connectFailures = 1;
    writer.failure = new IOException("cannot reach " + secretUrl);
    Drain d = drain(secretUrl, 100, Duration.ofMillis(2));
    d.start(Thread::new);

    offer(d, 0, 1);

    assertTrue(writer.awaitMessages(1));
    assertEquals(
        "Syslog drain https://logs.example.com:443: could not deliver. Backing off for 1ms.",
        notices.get(0));
    assertEquals(
        "cannot reach https://logs.example.com:443.", DrainText.reason(d.url(), writer.failure));
    assertFalse(notices.get(0).contains("pw"));
  }

  @Test
  void shouldLogThatTheCertificateIsNotAcceptedButTellTheAppOnlyThatItCouldNotDeliver()
      throws Exception {
    javax.net.ssl.SSLHandshakeException handshake =
        new javax.net.ssl.SSLHandshakeException("PKIX path building failed: long internal text");
    handshake.initCause(
        new java.security.cert.CertificateException(
            "PKIX path building failed",
            new IllegalStateException("unable to find valid certification path")));
    writer.connectFailures = 1;
    writer.failure = handshake;
    Drain d = drain("syslog-tls://127.0.0.1:6514", 100, Duration.ofMillis(2));
    d.start(Thread::new);

    offer(d, 0, 1);

    assertTrue(writer.awaitMessages(1));
    assertEquals(
        "Syslog drain syslog-tls://127.0.0.1:6514: could not deliver. Backing off for 1ms.",
        notices.get(0));
    assertEquals(
        "The drain's certificate is not accepted: unable to find valid certification path.",
        DrainText.reason(d.url(), handshake));
  }

  @Test
  void shouldFormatBackoffDurationsReadablyWhenNoticing() {
    assertEquals("250ms", DrainText.format(Duration.ofMillis(250)));
    assertEquals("1s", DrainText.format(Duration.ofSeconds(1)));
    assertEquals("1.5s", DrainText.format(Duration.ofMillis(1500)));
    assertEquals("60s", DrainText.format(Duration.ofMinutes(1)));
  }
}
