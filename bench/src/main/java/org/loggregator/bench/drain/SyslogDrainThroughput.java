package org.loggregator.bench.drain;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.loggregator.doppler.drain.Drain;
import org.loggregator.doppler.drain.DrainCounters;
import org.loggregator.doppler.drain.DrainUrl;
import org.loggregator.doppler.drain.SyslogFormatter;
import org.loggregator.doppler.drain.TcpSyslogWriter;
import org.loggregator.doppler.drain.address.AddressGuard;
import org.loggregator.doppler.drain.address.AddressPolicy;
import org.loggregator.doppler.drain.address.Cidr;
import org.loggregator.doppler.drain.address.Resolver;
import org.loggregator.metrics.MetricName;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;
import org.loggregator.retry.Backoff;

/**
 * Log lines per second that one TCP syslog drain delivers into a real rsyslog (docs/PERFORMANCE.md,
 * "Syslog drain throughput"): the doppler's own {@link Drain} with a {@link TcpSyslogWriter}, fed
 * as fast as its queue takes lines without dropping, against Debian's rsyslogd started here on a
 * loopback port (imtcp, octet-counted frames, writing each message to a file). A line counts as
 * delivered when rsyslog has written it to its file; the clock runs from the first offer to the
 * last line in the file. Prints figures, asserts nothing.
 *
 * <pre>
 *   java -cp bench/target/benchmarks.jar org.loggregator.bench.drain.SyslogDrainThroughput \
 *       [lines per run, default 1000000] [runs, default 3]
 * </pre>
 */
public final class SyslogDrainThroughput {
  private static final String APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";
  private static final int QUEUE = 10_000; // doppler.drainQueue default
  private static final int POOL = 4096;

  /** The harness's rsyslog listens on loopback, which drains may reach only when allowed. */
  private static final AddressGuard LOOPBACK_ONLY =
      new AddressGuard(
          Resolver.SYSTEM,
          new AddressPolicy(
              List.of(Cidr.parse("127.0.0.0/8")), List.of(), Set.of(), address -> false));

  private SyslogDrainThroughput() {}

  public static void main(String[] args) throws Exception {
    int lines = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = Files.createDirectories(Path.of("bench", "target", "rsyslog").toAbsolutePath());
    Path output = dir.resolve("received.log");
    Files.deleteIfExists(output);
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Process rsyslogd = startRsyslog(dir, port, output);
    try {
      byte[][] envelopes = envelopes();
      int frameBytes = frameLength(envelopes[0]);
      System.out.printf(
          "One TCP syslog drain into rsyslog %s on 127.0.0.1:%d; frames of %d bytes; %d lines per"
              + " run; JDK %s, %d cores%n",
          rsyslogVersion(),
          port,
          frameBytes,
          lines,
          System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors());
      LineCounter counter = new LineCounter(output);
      run("warm-up", Math.min(lines, 200_000), envelopes, port, counter);
      for (int r = 1; r <= runs; r++) {
        run("run " + r, lines, envelopes, port, counter);
      }
    } finally {
      rsyslogd.toHandle().destroy();
      rsyslogd.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void run(String name, int lines, byte[][] envelopes, int port, LineCounter counter)
      throws Exception {
    DrainCounters counters = new DrainCounters(MetricName.localCounters(), Map.of());
    DrainUrl url = DrainUrl.parse("syslog://127.0.0.1:" + port);
    Drain drain =
        new Drain(
            APP,
            url,
            new TcpSyslogWriter(url.host(), url.port(), LOOPBACK_ONLY),
            QUEUE,
            new SyslogFormatter(SyslogFormatter.DEFAULT_HOSTNAME),
            new Backoff(
                Duration.ofSeconds(1),
                Duration.ofMinutes(1),
                Backoff.Jitter.upToCeiling(),
                ChronoUnit.NANOS,
                () -> ThreadLocalRandom.current().nextDouble()),
            counters.of(url.scheme()),
            (app, text) -> System.out.println("  notice: " + text));
    long before = counter.count();
    drain.start(Thread::new);
    long start = System.nanoTime();
    for (int i = 0; i < lines; i++) {
      while (drain.queued() >= QUEUE - 1) {
        LockSupport.parkNanos(20_000); // never drop: wait for the writer
      }
      drain.offer(envelopes[i & (POOL - 1)]);
    }
    long offered = System.nanoTime();
    long deadline = offered + TimeUnit.MINUTES.toNanos(5);
    while (counter.count() - before < lines && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    long end = System.nanoTime();
    long sentAt = counters.of(url.scheme()).sent();
    drain.close();
    drain.awaitStopped(5000);
    long delivered = counter.count() - before;
    double seconds = (end - start) / 1e9;
    System.out.printf(
        "%-8s %,d of %,d lines in rsyslog's file in %.2f s: %,.0f lines/s (%,.1f MB/s of frames);"
            + " offering took %.2f s; written by the drain %,d; dropped %,d%n",
        name,
        delivered,
        lines,
        seconds,
        delivered / seconds,
        delivered * (double) frameLength(envelopes[0]) / seconds / 1e6,
        (offered - start) / 1e9,
        sentAt,
        counters.of(url.scheme()).dropped());
  }

  private static byte[][] envelopes() {
    byte[][] envelopes = new byte[POOL][];
    for (int i = 0; i < POOL; i++) {
      long nanos = 1_380_838_166_000_000_000L + i * 1_000L;
      envelopes[i] =
          Envelope.newBuilder()
              .setOrigin("bench")
              .setEventType(Envelope.EventType.LogMessage)
              .setTimestamp(nanos)
              .setLogMessage(
                  LogMessage.newBuilder()
                      .setMessage(
                          ByteString.copyFromUtf8(
                              "This message is on stdout at 2013-10-03 22:09:26 +0000 for"
                                  + " private-app instance 0, line "
                                  + (100_000 + i)))
                      .setMessageType(LogMessage.MessageType.OUT)
                      .setTimestamp(nanos)
                      .setAppId(APP)
                      .setSourceType("APP")
                      .setSourceInstance("0"))
              .build()
              .toByteArray();
    }
    return envelopes;
  }

  private static int frameLength(byte[] envelope) {
    org.loggregator.doppler.drain.BatchBuffer buffer =
        new org.loggregator.doppler.drain.BatchBuffer(256);
    new SyslogFormatter(SyslogFormatter.DEFAULT_HOSTNAME)
        .append(envelope, 0, envelope.length, buffer);
    return buffer.length();
  }

  private static Process startRsyslog(Path dir, int port, Path output) throws Exception {
    Path conf =
        Files.writeString(
            dir.resolve("rsyslog.conf"),
            "global(workDirectory=\""
                + dir
                + "\" maxMessageSize=\"64k\")\n"
                + "module(load=\"imtcp\")\n"
                + "input(type=\"imtcp\" address=\"127.0.0.1\" port=\""
                + port
                + "\" ruleset=\"drain\")\n"
                + "template(name=\"raw\" type=\"string\" string=\"%rawmsg%\\n\")\n"
                + "ruleset(name=\"drain\") {\n"
                + "  action(type=\"omfile\" file=\""
                + output
                + "\" template=\"raw\")\n"
                + "}\n");
    Process process =
        new ProcessBuilder(
                "/usr/sbin/rsyslogd",
                "-n",
                "-f",
                conf.toString(),
                "-i",
                dir.resolve("rsyslogd.pid").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("rsyslogd.out").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return process;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    process.destroy();
    throw new IllegalStateException("rsyslogd did not start; see " + dir.resolve("rsyslogd.out"));
  }

  private static String rsyslogVersion() {
    try {
      Process p = new ProcessBuilder("/usr/sbin/rsyslogd", "-v").redirectErrorStream(true).start();
      String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
      p.waitFor();
      return first.replace("rsyslogd", "").replace("compiled with:", "").trim();
    } catch (IOException | InterruptedException e) {
      return "(version unknown)";
    }
  }

  /** Counts the newlines rsyslog has written to its file, reading only what is new. */
  private static final class LineCounter {
    private final Path file;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private long position;
    private long lines;

    LineCounter(Path file) {
      this.file = file;
    }

    long count() throws IOException {
      if (!Files.exists(file)) {
        return 0;
      }
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        int n;
        while ((n = channel.read(buffer.clear(), position)) > 0) {
          position += n;
          buffer.flip();
          while (buffer.hasRemaining()) {
            if (buffer.get() == '\n') {
              lines++;
            }
          }
        }
      }
      return lines;
    }
  }
}
