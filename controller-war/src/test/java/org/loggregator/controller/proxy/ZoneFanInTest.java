package org.loggregator.controller.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loggregator.config.DopplerAddress;
import org.loggregator.controller.proxy.FakeUpstreamConnector.FakeUpstream;
import org.loggregator.metrics.Counter;

class ZoneFanInTest {
  private static final String PATH = "/apps/app-1/stream";
  private static final long PATIENCE_MILLIS = 15_000;

  private final DopplerAddress z1 = FakeUpstreamConnector.doppler("z1", 3458);
  private final DopplerAddress z2 = FakeUpstreamConnector.doppler("z2", 4458);
  private final FakeUpstreamConnector connector = new FakeUpstreamConnector();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<String> notices = new CopyOnWriteArrayList<>();
  private final Counter zoneErrors = Counter.local();
  private final AtomicReference<DopplerDirectory> directory =
      new AtomicReference<>(new DopplerDirectory(List.of()));
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final ThreadPoolExecutor connectExecutor =
      new ThreadPoolExecutor(2, 2, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
  private final ZoneFanIn fanIn =
      new ZoneFanIn(
          connector,
          envelope -> received.add(new String(envelope, StandardCharsets.UTF_8)),
          notices::add,
          scheduler,
          zone -> connectExecutor,
          zoneErrors,
          directory::get);

  @AfterEach
  void stop() throws InterruptedException {
    fanIn.close();
    scheduler.shutdownNow();
    connectExecutor.shutdownNow();
    scheduler.awaitTermination(5, TimeUnit.SECONDS);
    connectExecutor.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MILLIS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("Gave up waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  /** Waits until every connect handed to the executor so far has finished. */
  private void awaitConnectsDone() throws InterruptedException {
    await(
        "the connects to finish",
        () -> connectExecutor.getCompletedTaskCount() == connectExecutor.getTaskCount());
  }

  private FakeUpstream awaitConnection(DopplerAddress doppler, int nth)
      throws InterruptedException {
    await(
        "connection " + nth + " to " + doppler.zone(),
        () -> connector.openedTo(doppler).size() >= nth);
    awaitConnectsDone();
    return connector.openedTo(doppler).get(nth - 1);
  }

  /** The fan-in follows every doppler of a directory of {@code dopplers}. */
  private void follow(DopplerAddress... dopplers) {
    directory.set(new DopplerDirectory(List.of(dopplers)));
    fanIn.follow(DopplerDirectory::all, PATH);
  }

  private static byte[] envelope(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldDeliverEnvelopesFromEveryDopplerWhenAllAreReachable() throws Exception {
    follow(z1, z2);
    FakeUpstream fromZ1 = awaitConnection(z1, 1);
    FakeUpstream fromZ2 = awaitConnection(z2, 1);

    fromZ1.deliver(envelope("z1 first"));
    fromZ2.deliver(envelope("z2 first"));
    fromZ1.deliver(envelope("z1 second"));

    assertEquals(List.of("z1 first", "z2 first", "z1 second"), received);
    assertEquals(PATH, fromZ1.path);
    assertEquals(PATH, fromZ2.path);
    assertEquals(List.of(), notices);
    assertEquals(0, zoneErrors.count());
  }

  @Test
  void shouldKeepStreamingTheOtherZonesWhenOneDopplerCannotBeReached() throws Exception {
    connector.failNext(z2, -1);
    follow(z1, z2);
    FakeUpstream fromZ1 = awaitConnection(z1, 1);
    await("the failure notice", () -> !notices.isEmpty());

    fromZ1.deliver(envelope("z1 envelope"));

    assertEquals(List.of("z1 envelope"), received);
    assertEquals(1, connector.attempts(z1));
    assertTrue(notices.get(0).startsWith("Zone z2 "), notices.get(0));
  }

  @Test
  void shouldNotifyOncePerFailedAttemptAndRetryUntilTheDopplerIsBack() throws Exception {
    connector.failNext(z2, 2);
    follow(z1, z2);

    FakeUpstream fromZ2 = awaitConnection(z2, 1);

    assertEquals(3, connector.attempts(z2), "two failed attempts, then the one that worked");
    assertEquals(3, notices.size(), () -> "notices: " + notices);
    for (String failure : notices.subList(0, 2)) {
      assertTrue(failure.startsWith("Zone z2 "), failure);
      assertTrue(failure.contains("cannot be reached"), failure);
      assertTrue(failure.contains("Connection refused"), failure);
      assertFalse(failure.contains("z1"), failure);
    }
    assertTrue(notices.get(2).startsWith("Zone z2 is back"), notices.get(2));
    assertEquals(2, zoneErrors.count());
    assertEquals(1, connector.attempts(z1));

    fromZ2.deliver(envelope("z2 after recovery"));
    assertEquals(List.of("z2 after recovery"), received);
  }

  @Test
  void shouldReconnectAndTellTheClientWhenAConnectionIsLost() throws Exception {
    follow(z1, z2);
    FakeUpstream fromZ1 = awaitConnection(z1, 1);
    FakeUpstream lost = awaitConnection(z2, 1);

    lost.lose();

    assertEquals(1, notices.size());
    assertTrue(notices.get(0).startsWith("Zone z2 "), notices.get(0));
    assertTrue(notices.get(0).contains("dropped the connection"), notices.get(0));
    assertEquals(1, zoneErrors.count());
    fromZ1.deliver(envelope("z1 while z2 is away"));

    FakeUpstream again = awaitConnection(z2, 2);
    again.deliver(envelope("z2 again"));

    assertEquals(2, connector.attempts(z2));
    assertEquals(2, notices.size(), () -> "notices: " + notices);
    assertTrue(notices.get(1).startsWith("Zone z2 is back"), notices.get(1));
    assertEquals(List.of("z1 while z2 is away", "z2 again"), received);
    assertEquals(1, connector.attempts(z1));
    assertEquals(1, zoneErrors.count());
  }

  @Test
  void shouldCloseEveryUpstreamAndStopRetryingWhenClosed() throws Exception {
    DopplerAddress z3 = FakeUpstreamConnector.doppler("z3", 5458);
    connector.failNext(z3, -1);
    follow(z1, z2, z3);
    FakeUpstream fromZ1 = awaitConnection(z1, 1);
    FakeUpstream fromZ2 = awaitConnection(z2, 1);
    await("z3's failure notice", () -> notices.size() == 1);
    awaitConnectsDone();

    fanIn.close();

    assertTrue(fromZ1.closed());
    assertTrue(fromZ2.closed());
    // Let the retry already scheduled for z3 come due and run, then look.
    scheduler.shutdown();
    assertTrue(scheduler.awaitTermination(PATIENCE_MILLIS, TimeUnit.MILLISECONDS));
    connectExecutor.shutdown();
    assertTrue(connectExecutor.awaitTermination(PATIENCE_MILLIS, TimeUnit.MILLISECONDS));
    assertEquals(1, connector.attempts(z3), "no connect after close");
    assertEquals(1, connector.attempts(z1));
    assertEquals(1, connector.attempts(z2));
    assertEquals(1, notices.size(), () -> "notices: " + notices);
    assertEquals(1, zoneErrors.count());
  }

  @Test
  void shouldNeitherRetryNorNotifyWhenAConnectionEndsAfterClose() throws Exception {
    follow(z1);
    FakeUpstream fromZ1 = awaitConnection(z1, 1);

    fanIn.close();
    fromZ1.lose();

    scheduler.shutdown();
    assertTrue(scheduler.awaitTermination(PATIENCE_MILLIS, TimeUnit.MILLISECONDS));
    assertEquals(List.of(), notices);
    assertEquals(0, zoneErrors.count());
    assertEquals(1, connector.attempts(z1));
  }

  @Test
  void shouldNotConnectWhenADopplerIsAddedAfterClose() throws Exception {
    fanIn.close();

    follow(z1);

    connectExecutor.shutdown();
    assertTrue(connectExecutor.awaitTermination(PATIENCE_MILLIS, TimeUnit.MILLISECONDS));
    assertEquals(0, connector.attempts(z1));
  }

  @Test
  void shouldMoveToTheNewOwnerAndCloseTheOldOneWhenTheDopplersChange() throws Exception {
    DopplerAddress z1b = FakeUpstreamConnector.doppler("z1", 3459);
    follow(z1, z2);
    FakeUpstream old = awaitConnection(z1, 1);
    awaitConnection(z2, 1);

    DopplerDirectory moved = new DopplerDirectory(List.of(z1b, z2));
    directory.set(moved);
    fanIn.update(moved);
    FakeUpstream fresh = awaitConnection(z1b, 1);
    fresh.deliver(envelope("from the new owner"));
    old.lose(); // the old link's end, after it was retired: no retry, no notice

    assertTrue(old.closed());
    assertEquals(List.of("from the new owner"), received);
    assertEquals(2, notices.size(), () -> "notices: " + notices);
    assertTrue(notices.get(0).contains("left zone z1"), notices.get(0));
    assertTrue(notices.get(1).contains("joined zone z1"), notices.get(1));
    awaitConnectsDone();
    assertEquals(1, connector.attempts(z1));
    assertEquals(1, connector.attempts(z2), "the unchanged zone keeps its link");
    assertEquals(0, zoneErrors.count());
  }

  @Test
  void shouldStopRetryingADopplerThatLeftWhenItWasFailing() throws Exception {
    connector.failNext(z2, -1);
    follow(z1, z2);
    awaitConnection(z1, 1);
    await("z2's failure notice", () -> notices.size() == 1);
    awaitConnectsDone();

    DopplerDirectory shrunk = new DopplerDirectory(List.of(z1));
    directory.set(shrunk);
    fanIn.update(shrunk);
    int attempts = connector.attempts(z2);
    scheduler.shutdown();
    assertTrue(scheduler.awaitTermination(PATIENCE_MILLIS, TimeUnit.MILLISECONDS));
    connectExecutor.shutdown();
    assertTrue(connectExecutor.awaitTermination(PATIENCE_MILLIS, TimeUnit.MILLISECONDS));

    assertEquals(attempts, connector.attempts(z2), "no connect to a doppler that left");
    assertEquals(2, notices.size(), () -> "notices: " + notices);
    assertTrue(notices.get(1).contains("left zone z2"), notices.get(1));
  }
}
