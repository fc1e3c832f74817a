package org.loggregator.agent.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loggregator.agent.AgentLog;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;

class PodAppIdsTest {

  private static final long SKIP = TimeUnit.MINUTES.toNanos(5);
  private static final long RETRY = TimeUnit.SECONDS.toNanos(5);

  private final AtomicLong clock = new AtomicLong(1_000);
  private final AgentCounters counters = new AgentCounters();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final AgentLog log = new AgentLog(new PrintStream(stderr, true), false);
  private final Map<String, PodAnswer> answers = new ConcurrentHashMap<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private PodAppIds appIds;

  private static PodRef pod(int i) {
    return new PodRef("ns", "pod-" + i, String.format("%08x-0000-0000-0000-000000000000", i));
  }

  private PodAppIds start(int maxPods) {
    appIds =
        new PodAppIds(
            pod -> {
              asked.add(pod.name());
              return answers.getOrDefault(pod.name(), PodAnswer.retry("no answer"));
            },
            new PodAppIds.Policy(maxPods, SKIP, RETRY),
            counters,
            log,
            clock::get);
    appIds.start();
    return appIds;
  }

  @AfterEach
  void stop() {
    if (appIds != null) {
      appIds.close();
    }
  }

  /** Calls {@code resolve} until it gives something other than PENDING, for up to 5 s. */
  private static String await(Supplier<String> resolve) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    String answer;
    while ((answer = resolve.get()) == PodAppIds.PENDING && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    return answer;
  }

  private void awaitAsked(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (asked.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    Thread.sleep(20); // and its answer recorded
  }

  @Test
  void shouldAnswerPendingThenTheAppIdAndAskOnceWhenThePodHasTheLabel() throws Exception {
    answers.put("pod-1", PodAnswer.appId("app-1"));
    start(16);
    assertSame(PodAppIds.PENDING, appIds.resolve(pod(1)));
    assertEquals("app-1", await(() -> appIds.resolve(pod(1))));
    clock.addAndGet(TimeUnit.DAYS.toNanos(1));
    assertEquals("app-1", appIds.resolve(pod(1)));
    assertEquals(List.of("pod-1"), asked, "an app id is read once, for the pod's life");
  }

  @Test
  void shouldSkipCountOnceAndAskAgainLaterWhenThePodHasNoAppId() throws Exception {
    answers.put("pod-2", PodAnswer.skip("no label loggregator/app-id"));
    start(16);
    assertSame(PodAppIds.SKIPPED, await(() -> appIds.resolve(pod(2))));
    assertEquals(1, counters.get(AgentCounter.POD_SKIPPED));
    assertSame(PodAppIds.SKIPPED, appIds.resolve(pod(2)));
    assertEquals(1, asked.size(), "not asked again before the recheck");

    clock.addAndGet(SKIP);
    assertSame(PodAppIds.SKIPPED, appIds.resolve(pod(2)), "skipped while asked again");
    awaitAsked(2);
    assertEquals(1, counters.get(AgentCounter.POD_SKIPPED), "a pod is counted once");

    answers.put("pod-2", PodAnswer.appId("labelled-later"));
    clock.addAndGet(SKIP);
    appIds.resolve(pod(2));
    awaitAsked(3);
    assertEquals("labelled-later", appIds.resolve(pod(2)));
    assertTrue(
        stderr
            .toString(StandardCharsets.UTF_8)
            .contains("skipping the logs of pod ns/pod-2: no label"),
        stderr.toString(StandardCharsets.UTF_8));
  }

  @Test
  void shouldStayPendingCountAndRetryAfterTheDelayWhenTheApiFails() throws Exception {
    start(16);
    appIds.resolve(pod(3));
    awaitAsked(1);
    assertSame(PodAppIds.PENDING, appIds.resolve(pod(3)));
    assertEquals(1, counters.get(AgentCounter.POD_API_ERRORS));
    assertEquals(1, asked.size(), "not asked again before the retry delay");
    clock.addAndGet(RETRY);
    answers.put("pod-3", PodAnswer.appId("app-3"));
    assertEquals("app-3", await(() -> appIds.resolve(pod(3))));
    assertEquals(1, counters.get(AgentCounter.POD_API_ERRORS));
    String err = stderr.toString(StandardCharsets.UTF_8);
    assertTrue(err.contains("warning: 1 Kubernetes API lookup(s) failed"), err);
    assertTrue(err.contains("no answer"), err);
  }

  @Test
  void shouldHoldAtMostItsLimitOfPodsWhenManyPodsAreAskedFor() throws Exception {
    for (int i = 0; i < 1_000; i++) {
      answers.put("pod-" + i, PodAnswer.appId("app-" + i));
    }
    start(50);
    for (int i = 0; i < 1_000; i++) {
      await(() -> appIds.resolve(pod(0)));
      int n = i;
      assertEquals("app-" + i, await(() -> appIds.resolve(pod(n))));
      assertTrue(appIds.size() <= 100, "bounded: " + appIds.size());
    }
    assertTrue(appIds.size() <= 50, "at most the limit once no lookup waits: " + appIds.size());
    assertEquals("app-0", appIds.resolve(pod(0)), "the most recently asked stays");
  }
}
