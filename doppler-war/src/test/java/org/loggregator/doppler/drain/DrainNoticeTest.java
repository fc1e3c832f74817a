package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loggregator.doppler.drain.address.AddressGuard;
import org.loggregator.doppler.drain.address.AddressPolicy;
import org.loggregator.doppler.drain.address.DenialReason;
import org.loggregator.metrics.MetricName;

/**
 * What a drain tells the app when it cannot connect: the class and range of a denied address, and
 * nothing but "could not deliver" for an allowed one, whatever went wrong; the operator's log keeps
 * the reason.
 */
class DrainNoticeTest {
  private static final String APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";

  private final DrainCounters counters = new DrainCounters(MetricName.localCounters(), Map.of());
  private final List<String> notices = new CopyOnWriteArrayList<>();
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Logger drainLog = Logger.getLogger(Drain.class.getName());
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final List<Drain> drains = new ArrayList<>();

  DrainNoticeTest() {
    drainLog.addHandler(handler);
  }

  @AfterEach
  void stop() throws InterruptedException {
    drainLog.removeHandler(handler);
    for (Drain drain : drains) {
      drain.close();
      assertTrue(drain.awaitStopped(5000));
    }
  }

  private Drain start(String url, DrainWriter writer, Duration backoff) {
    Drain drain =
        new Drain(
            APP,
            DrainUrl.parse(url),
            writer,
            100,
            new SyslogFormatter("loggregator"),
            TestBackoffs.of(backoff, backoff),
            counters.of(DrainUrl.parse(url).scheme()),
            (appId, text) -> notices.add(text));
    drains.add(drain);
    drain.start(Thread::new);
    return drain;
  }

  private static AddressGuard productionGuard() {
    return new AddressGuard(
        TestGuards.stub(Map.of("internal.example.com", new String[] {"10.1.2.3"})),
        new AddressPolicy(List.of(), List.of(), Set.of(), a -> false));
  }

  private void awaitNotices(int n) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (notices.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  @Test
  void shouldTellTheClassAndRangeOnceWhenTheDrainsAddressIsDenied() throws Exception {
    Drain drain =
        start(
            "syslog://10.1.2.3:514",
            new TcpSyslogWriter("10.1.2.3", 514, productionGuard()),
            Duration.ofMinutes(1));
    for (int i = 0; i < 50; i++) {
      drain.offer(SyslogFormatterTest.log("line " + i));
    }

    awaitNotices(1);

    assertEquals(
        List.of("drain syslog://10.1.2.3:514 denied: private address (10.0.0.0/8)"), notices);
    assertEquals(1, counters.denials(DenialReason.PRIVATE));
    assertEquals(0, counters.of(DrainUrl.Scheme.SYSLOG).errors(), "a denial is not a failure");
  }

  @Test
  void shouldTellADenialOncePerBackoffStepAndNeverPerEnvelope() throws Exception {
    Drain drain =
        start(
            "syslog-tls://user:pw@internal.example.com:6514/t0ken",
            new TlsSyslogWriter(
                "internal.example.com",
                6514,
                DrainTls.create(null).context(false),
                true,
                productionGuard(),
                TestGuards.TIMER,
                DrainWriter.WRITE_TIMEOUT),
            Duration.ofMillis(20));
    for (int i = 0; i < 500; i++) {
      drain.offer(SyslogFormatterTest.log("line " + i));
    }
    awaitNotices(3);
    drain.close();
    assertTrue(drain.awaitStopped(5000));

    assertTrue(notices.size() >= 3, notices.toString());
    for (String notice : notices) {
      assertEquals(
          "drain syslog-tls://internal.example.com:6514 denied: private address (10.0.0.0/8)",
          notice);
    }
    assertEquals(notices.size(), counters.denials(DenialReason.PRIVATE), "one per step");
    assertTrue(notices.size() < 500, "not one per envelope");
    assertTrue(
        logged.stream().anyMatch(l -> l.contains("Denied 10.1.2.3:6514")),
        "the operator's log names the address: " + logged);
    for (String text : concat(notices, logged)) {
      assertFalse(text.contains("pw") || text.contains("t0ken"), text);
    }
  }

  @Test
  void shouldTellTheSameSentenceWhateverWentWrongWhenTheAddressIsAllowed() throws Exception {
    List<IOException> failures =
        List.of(
            new ConnectException("Connection refused"),
            new SocketTimeoutException("Connect timed out"),
            new SocketException("Connection reset"),
            new NoRouteToHostException("No route to host"),
            new UnknownHostException("logs.example.com"),
            new SSLHandshakeException("PKIX path building failed"),
            new IOException("The drain answered HTTP 503."));
    for (IOException failure : failures) {
      FakeDrainWriter writer = new FakeDrainWriter();
      writer.connectFailures = Integer.MAX_VALUE;
      writer.failure = failure;
      start("syslog://logs.example.com:514", writer, Duration.ofMinutes(1))
          .offer(SyslogFormatterTest.log("x"));
    }

    awaitNotices(failures.size());

    assertEquals(failures.size(), notices.size(), notices.toString());
    for (String notice : notices) {
      assertEquals(
          "Syslog drain syslog://logs.example.com:514: could not deliver. Backing off for 30s.",
          notice);
    }
    for (String detail :
        List.of("Connection refused", "Timed out", "Connection reset", "No route to host")) {
      assertTrue(logged.stream().anyMatch(l -> l.endsWith(detail + ".")), detail + " in " + logged);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
