package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.loggregator.config.DopplerAddress;
import org.loggregator.protocol.RendezvousShard;

/**
 * Loggregator across "hosts": each doppler, the controller, the agent and the client in a network
 * namespace of its own, joined by a bridge with MTU 1500 (bin/netns-bed, {@link MultiHostBed}). One
 * set of servers serves every scenario: a zone cut off and restored, transit loss on the agent's
 * link, log lines of 60 KB crossing as IP fragments, and (once dopplers can be listed by name) a
 * doppler added and removed while lines flow. Skipped where namespaces cannot be made (not root, no
 * veth). The zone cut runs first and its restore fourth, so that the controller's 75 s of silence
 * before it gives a quiet connection up pass during the other scenarios.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MultiHostIT {
  private static final Pattern NUMBERED = Pattern.compile(" APP/0 (\\S+) (\\d+)(?: .*)?$");
  private static MultiHostBed hosts;
  private static MultiHostBed.Tail zoneTail;
  private static long cutAt;
  private static final String ZONE_APP = "bed-zones-" + UUID.randomUUID();

  @BeforeAll
  @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  static void start() throws Exception {
    String why = NetnsBed.unavailable();
    assumeTrue(why == null, "MultiHostIT needs network namespaces and veth pairs: " + why);
    long pid = ProcessHandle.current().pid();
    hosts = MultiHostBed.up("lgr-" + pid, "10.231." + (pid % 200 + 20));
    // Should the test JVM be stopped before @AfterAll (a build's timeout, Ctrl-C), the bed still
    // goes: its processes by process group, its namespaces by name.
    Runtime.getRuntime().addShutdownHook(cleanup);
    long started = System.nanoTime();
    hosts.startServers();
    System.out.printf(
        "[bed] %s: dopplers d1 (z1) %s, d2 (z2) %s, controller %s, agent host %s, client %s;"
            + " loss by %s; servers ready in %d s%n",
        hosts.work,
        hosts.bed.address("d1"),
        hosts.bed.address("d2"),
        hosts.bed.address("c1"),
        hosts.bed.address("a1"),
        hosts.bed.address("t1"),
        NetnsBed.lossKind(),
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
  }

  private static final Thread cleanup =
      new Thread(
          () -> {
            if (hosts != null) {
              hosts.close();
            }
          },
          "multihost-bed-cleanup");

  @AfterAll
  static void stop() {
    if (hosts != null) {
      hosts.close();
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
  }

  /** Lines of the form {@code TAG N} every 0.2 s, N counting from 0, until stopped. */
  private static String every200ms(String tag) {
    return "i=0; while :; do echo " + tag + " $i; i=$((i+1)); sleep 0.2; done";
  }

  @Test
  @Order(1)
  void shouldKeepStreamingZoneZ1AndTellTheClientWhenZoneZ2sDopplerIsCutOff() throws Exception {
    zoneTail = hosts.tail(ZONE_APP);
    assertEquals("Connected, tailing...", zoneTail.lines().poll(60, TimeUnit.SECONDS));
    Process z1 = hosts.agent(ZONE_APP, null, every200ms("z1"));
    Process z2 = hosts.agent(ZONE_APP, "z2", every200ms("z2"));
    try {
      Set<String> zones = new HashSet<>();
      long deadline = deadline(60);
      while (zones.size() < 2) {
        String line = next(zoneTail, l -> NUMBERED.matcher(l).find(), deadline, "both zones");
        Matcher m = NUMBERED.matcher(line);
        m.find();
        zones.add(m.group(1));
      }
      hosts.bed.cut("d2");
      cutAt = System.nanoTime();
      // z1 goes on: ten of its lines after the cut.
      deadline = deadline(30);
      for (int i = 0; i < 10; i++) {
        next(zoneTail, l -> l.contains(" APP/0 z1 "), deadline, "z1 after the cut");
      }
      // A client arriving now is told at once that z2 cannot be reached, and gets z1's lines.
      MultiHostBed.Tail late = hosts.tail(ZONE_APP);
      try {
        deadline = deadline(60);
        String notice = next(late, l -> l.contains("Zone z2 "), deadline, "the zone notice");
        System.out.println("[bed] a client arriving after the cut: " + notice);
        assertTrue(notice.contains(" LGR/") && notice.contains("cannot be reached"), notice);
        next(late, l -> l.contains(" APP/0 z1 "), deadline, "z1 for the late client");
      } finally {
        hosts.bed.stop(late.process());
      }
    } finally {
      hosts.bed.stop(z1);
      hosts.bed.stop(z2);
    }
  }

  @Test
  @Order(2)
  void shouldTellTheAppAsManyLinesLostInTransitAsTheAgentsLinkLost() throws Exception {
    assumeLoss();
    String app = "bed-transit-" + UUID.randomUUID();
    int sent = 2000;
    MultiHostBed.Tail tail = hosts.tail(app);
    try {
      assertEquals("Connected, tailing...", tail.lines().poll(60, TimeUnit.SECONDS));
      warmUp(app, tail);
      hosts.bed.loss("a1", 1);
      Set<Integer> received = new HashSet<>();
      long told = 0;
      try {
        Process agent =
            hosts.agent(
                app,
                null,
                "i=0; while [ $i -lt "
                    + sent
                    + " ]; do echo line $i; i=$((i+1));"
                    + " if [ $((i % 50)) -eq 0 ]; then sleep 0.05; fi; done");
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent ends with its child");
      } finally {
        hosts.bed.loss("a1", 0);
      }
      // Notices come at the doppler's 5-second flushes, a hole at the second after it opened.
      long deadline = deadline(25);
      long expected = 0;
      while (System.nanoTime() < deadline && (told == 0 || told != expected)) {
        String line = tail.lines().poll(1, TimeUnit.SECONDS);
        if (line != null) {
          Matcher notice = TransitLossIT.NOTICE.matcher(line);
          Matcher numbered = NUMBERED.matcher(line);
          if (line.contains(" LGR/") && notice.find()) {
            told += Long.parseLong(notice.group(1));
          } else if (numbered.find() && numbered.group(1).equals("line")) {
            received.add(Integer.parseInt(numbered.group(2)));
          }
        }
        expected = holesBelowHighest(received);
      }
      System.out.printf(
          "[bed] 1 %% loss on the agent's link: %d lines sent, %d received, %d lost (%d of them"
              + " before the last received line); the doppler's notices told %d%n",
          sent, received.size(), sent - received.size(), expected, told);
      assertTrue(received.size() < sent, "the link lost some lines");
      assertEquals(expected, told, "the notices add up to the lines the tail never saw");
    } finally {
      hosts.bed.stop(tail.process());
    }
  }

  @Test
  @Order(3)
  void shouldCarry60KbLinesAsIpFragmentsAndLoseThemAsTheFragmentsGo() throws Exception {
    assumeLoss();
    int lines = 100;
    int[] delivered = new int[2];
    double fragments = 0;
    for (int loss : new int[] {0, 1}) {
      String app = "bed-fragments-" + loss + "-" + UUID.randomUUID();
      MultiHostBed.Tail tail = hosts.tail(app);
      try {
        assertEquals("Connected, tailing...", tail.lines().poll(60, TimeUnit.SECONDS));
        warmUp(app, tail);
        hosts.bed.loss("a1", loss);
        long packetsBefore = hosts.bed.packetsSent("a1");
        try {
          Process agent =
              hosts.agent(
                  app,
                  null,
                  "s=$(printf '%060000d' 0); i=0; while [ $i -lt "
                      + lines
                      + " ]; do echo big $i $s; i=$((i+1)); sleep 0.05; done");
          assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent ends with its child");
        } finally {
          hosts.bed.loss("a1", 0);
        }
        if (loss == 0) {
          fragments = (double) (hosts.bed.packetsSent("a1") - packetsBefore) / lines;
        }
        Set<Integer> seen = new HashSet<>();
        long deadline = deadline(20);
        while (seen.size() < lines && System.nanoTime() < deadline) {
          String line = tail.lines().poll(1, TimeUnit.SECONDS);
          Matcher m = line == null ? null : NUMBERED.matcher(line);
          if (m != null && m.find() && m.group(1).equals("big")) {
            seen.add(Integer.parseInt(m.group(2)));
          }
        }
        delivered[loss] = seen.size();
      } finally {
        hosts.bed.stop(tail.process());
      }
    }
    double expected = Math.pow(0.99, Math.round(fragments)) * 100;
    System.out.printf(
        "[bed] %d lines of 60,000 bytes at MTU 1500, %.1f packets per line on the agent's link:"
            + " %d delivered without loss, %d with 1 %% loss (%.0f %%; (0.99)^%d = %.0f %%"
            + " expected)%n",
        lines,
        fragments,
        delivered[0],
        delivered[1],
        100.0 * delivered[1] / lines,
        Math.round(fragments),
        expected);
    assertTrue(fragments > 30, "each line crossed as many fragments: " + fragments);
    assertEquals(lines, delivered[0], "without loss every line crossed");
    assertTrue(delivered[1] < lines, "with loss some did not: " + delivered[1]);
  }

  @Test
  @Order(4)
  void shouldBringZoneZ2BackWhenItsLinkIsRestored() throws Exception {
    assumeTrue(zoneTail != null, "the zone cut did not run");
    // The first client's connection to z2 went quiet at the cut: the controller gives it up after
    // 75 s without a ping from the doppler and tells the client.
    String notice =
        next(zoneTail, l -> l.contains("Zone z2 "), cutAt + secs(120), "the notice of the cut");
    System.out.printf(
        "[bed] the streaming client was told %d s after the cut: %s%n",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - cutAt), notice);
    hosts.bed.restore("d2");
    Process z2 = hosts.agent(ZONE_APP, "z2", every200ms("z2-again"));
    try {
      String back =
          next(
              zoneTail,
              l -> l.contains("Zone z2 is back") || l.contains(" APP/0 z2-again "),
              deadline(90),
              "z2 back");
      System.out.printf(
          "[bed] z2 back %d s after the cut: %s%n",
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - cutAt), back);
    } finally {
      hosts.bed.stop(z2);
      hosts.bed.stop(zoneTail.process());
    }
  }

  @Test
  @Order(5)
  void shouldMoveAnAppToADopplerAddedToItsZoneByNameAndBackWhenItIsRemoved() throws Exception {
    hosts.startDoppler("d3", "z1");
    hosts.awaitReady("d3", MultiHostBed.DOPPLER_HTTP);
    // An app that rendezvous hashing gives to d3 once d3 is in zone z1, as controllers do.
    List<DopplerAddress> z1 =
        DopplerAddress.parseList(
            "bed",
            "z1 "
                + hosts.bed.address("d1")
                + ":3458 http://d1/doppler; z1 "
                + hosts.bed.address("d3")
                + ":3458 http://d3/doppler");
    RendezvousShard<DopplerAddress> shard = new RendezvousShard<>(z1, DopplerAddress::shardKey);
    String app = "bed-moved-" + UUID.randomUUID();
    while (shard.owner(app) != z1.get(1)) {
      app = "bed-moved-" + UUID.randomUUID();
    }
    MultiHostBed.Tail tail = hosts.tail(app);
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    Predicate<String> moved =
        l -> {
          Matcher numbered = NUMBERED.matcher(l);
          if (numbered.find() && numbered.group(1).equals("moved")) {
            seen.add(Integer.parseInt(numbered.group(2)));
            return true;
          }
          return false;
        };
    Process agent = hosts.agent(app, null, every200ms("moved"));
    try {
      next(tail, moved, deadline(60), "a line before the change");
      String received = "dropsondeListener_receivedMessageCount_total";
      double before = hosts.metric("d3", MultiHostBed.DOPPLER_HTTP, received);
      hosts.writeHosts(List.of("d1", "d3"), List.of("d2"));
      long deadline = deadline(60);
      while (hosts.metric("d3", MultiHostBed.DOPPLER_HTTP, received) <= before) {
        assertTrue(System.nanoTime() < deadline, "d3 received the app's lines after it was added");
        next(tail, moved, deadline, "lines while d3 is added");
      }
      for (int i = 0; i < 10; i++) {
        next(tail, moved, deadline(30), "lines from d3");
      }
      hosts.writeHosts(List.of("d1"), List.of("d2"));
      double atRemoval = hosts.metric("d3", MultiHostBed.DOPPLER_HTTP, received);
      for (int i = 0; i < 25; i++) {
        next(tail, moved, deadline(30), "lines after d3 left");
      }
      System.out.printf(
          "[bed] d3 received %.0f datagrams while it was in zone z1; of the app's first %d lines,"
              + " %d were lost while its owner changed twice (in flight to the old owner)%n",
          hosts.metric("d3", MultiHostBed.DOPPLER_HTTP, received) - before,
          seen.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1,
          holesBelowHighest(seen));
      assertTrue(atRemoval > before);
    } finally {
      hosts.bed.stop(agent);
      hosts.bed.stop(tail.process());
    }
  }

  private static void assumeLoss() throws Exception {
    assumeTrue(
        !"no-loss".equals(NetnsBed.lossKind()),
        "no netem qdisc in this kernel and no nft command (bin/install-test-deps installs it)");
  }

  /** Sends the app a few lines until one reaches the tail: the stream's zones are connected. */
  private static void warmUp(String app, MultiHostBed.Tail tail) throws Exception {
    Process agent = hosts.agent(app, null, every200ms("warm"));
    try {
      next(tail, l -> l.contains(" APP/0 warm "), deadline(60), "a first line");
    } finally {
      hosts.bed.stop(agent);
    }
  }

  /** Of the numbers seen, how many below the highest are missing. */
  private static long holesBelowHighest(Set<Integer> received) {
    int highest = received.stream().mapToInt(Integer::intValue).max().orElse(-1);
    return highest + 1 - received.size();
  }

  private static String next(
      MultiHostBed.Tail tail, Predicate<String> wanted, long deadline, String what)
      throws InterruptedException {
    while (System.nanoTime() < deadline) {
      String line =
          tail.lines().poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line != null && wanted.test(line)) {
        return line;
      }
    }
    return fail("before the deadline: " + what);
  }

  private static long deadline(int seconds) {
    return System.nanoTime() + secs(seconds);
  }

  private static long secs(int seconds) {
    return TimeUnit.SECONDS.toNanos(seconds);
  }
}
