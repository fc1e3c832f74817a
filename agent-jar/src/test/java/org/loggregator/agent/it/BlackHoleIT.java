package org.loggregator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent must never slow the app it runs: a child writes 100,000 lines as fast as it can while
 * the doppler address is a black hole. Timings are printed, never asserted; what is asserted is
 * that the agent read every line, accounted for each one (sent or counted as dropped), passed the
 * child's exit code on, and stayed within its memory.
 */
class BlackHoleIT {

  private static final int LINES = 100_000;
  private static final Pattern SUMMARY =
      Pattern.compile(
          "read (\\d+) lines, sent (\\d+) envelopes, dropped (\\d+) \\(queue full (\\d+),.*"
              + "peak RSS (\\d+) MiB");

  @TempDir Path dir;

  /** The child alone, its stdout drained by this JVM as fast as it comes. */
  private long[] runWithoutAgent() throws Exception {
    Path timing = dir.resolve("alone.txt");
    long start = System.nanoTime();
    Process child = new ProcessBuilder(AgentProcess.lineWriter(LINES, timing)).start();
    try (InputStream out = child.getInputStream()) {
      out.transferTo(java.io.OutputStream.nullOutputStream());
      assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    return new long[] {
      TimeUnit.NANOSECONDS.toMillis(Long.parseLong(Files.readString(timing))), wall
    };
  }

  private void runThroughAgent(String blackHole, String description) throws Exception {
    long[] alone = runWithoutAgent();
    Path timing = dir.resolve("agent.txt");
    String[] args =
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(
                    "run", "--app-id", "black-hole-app", "--dopplers", blackHole, "--"),
                AgentProcess.lineWriter(LINES, timing).stream())
            .toArray(String[]::new);
    long peakRss = 0;
    try (AgentProcess agent = AgentProcess.start(List.of("-Xmx64m", "-XX:+UseSerialGC"), args)) {
      while (agent.process().isAlive()) {
        peakRss = Math.max(peakRss, agent.peakRssKib());
        Thread.sleep(20);
      }
      assertEquals(0, agent.waitForExit(), agent.stderr());
      long childMillis = TimeUnit.NANOSECONDS.toMillis(Long.parseLong(Files.readString(timing)));
      String summary = agent.awaitStderrLine(l -> l.contains("child exited with 0"));
      Matcher m = SUMMARY.matcher(summary);
      assertTrue(m.find(), summary);
      long read = Long.parseLong(m.group(1));
      long sent = Long.parseLong(m.group(2));
      long dropped = Long.parseLong(m.group(3));
      long queueFull = Long.parseLong(m.group(4));
      long agentPeakRssMib = Long.parseLong(m.group(5));
      System.out.printf(
          "black hole (%s), %,d lines: child writing alone %d ms (wall %d ms); through the agent"
              + " %d ms (agent wall %d ms); agent sent %,d, dropped %,d (queue full %,d); agent peak"
              + " RSS %d MiB (sampled %d MiB), heap capped at 64 MiB%n",
          description,
          LINES,
          alone[0],
          alone[1],
          childMillis,
          agent.millisSinceStart(),
          sent,
          dropped,
          queueFull,
          agentPeakRssMib,
          peakRss / 1024);

      assertEquals(LINES, read, "the agent read every line the child wrote");
      // Each line was sent or counted as dropped; the rest of "sent" are the agent's own
      // CounterEvents and drop notices.
      assertTrue(sent + queueFull >= LINES, summary);
      assertTrue(sent + queueFull <= LINES + 100, summary);
      assertTrue(agentPeakRssMib < 256, "memory stays bounded: " + summary);
    }
  }

  @Test
  void shouldNotSlowTheChildAndCountEveryDropWhenTheDopplerNeverReads() throws Exception {
    // A bound socket that is never read: its receive buffer fills, then the kernel drops.
    try (DatagramSocket hole = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      hole.setReceiveBufferSize(4096);
      runThroughAgent("127.0.0.1:" + hole.getLocalPort(), "bound socket never read");
    }
  }

  @Test
  void shouldNotSlowTheChildAndCountEveryDropWhenNoDopplerListens() throws Exception {
    // Nothing bound: every datagram draws an ICMP port unreachable.
    runThroughAgent("127.0.0.1:" + AgentProcessIT.freeUdpPort(), "port with no listener");
  }
}
