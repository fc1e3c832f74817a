package org.loggregator.bench.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.LgrNotice;
import org.loggregator.protocol.LogEnvelopeWriter;

/**
 * Fills a running doppler's recent-log rings, {@code --apps} apps × {@code --per-app} envelopes,
 * with signed datagrams sent straight to its UDP port, then reports the heap the server uses after
 * a full collection, before and after, with the doppler's own counts of apps and envelopes held.
 * {@code bench/run-memory} starts the all-in-one server with a 512 MiB heap and runs this.
 */
public final class RecentLogsMemory {
  private static final String USAGE =
      "RecentLogsMemory --server-pid PID [--apps 10000] [--per-app 100] [--size 211]"
          + " [--rate 50000] [--doppler 127.0.0.1:3458] [--metrics http://127.0.0.1:8080/metrics]"
          + " [--shared-secret SECRET]";

  private RecentLogsMemory() {}

  public static void main(String[] args) throws Exception {
    int apps = 10_000;
    int perApp = 100;
    int size = 211;
    int rate = 50_000;
    String doppler = "127.0.0.1:3458";
    String metrics = "http://127.0.0.1:8080/metrics";
    String secret = "loggregatorEndPointSharedSecret";
    long pid = -1;
    try {
      for (int i = 0; i < args.length; i += 2) {
        String name = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value; usage: " + USAGE);
        }
        String value = args[i + 1];
        switch (name) {
          case "--apps" -> apps = LoadOptions.positive(name, value);
          case "--per-app" -> perApp = LoadOptions.positive(name, value);
          case "--size" -> size = LoadOptions.positive(name, value);
          case "--rate" -> rate = LoadOptions.positive(name, value);
          case "--doppler" -> doppler = value;
          case "--metrics" -> metrics = value;
          case "--shared-secret" -> secret = value;
          case "--server-pid" -> pid = LoadOptions.positive(name, value);
          default ->
              throw new IllegalArgumentException("unknown option " + name + "; usage: " + USAGE);
        }
      }
      if (pid < 0) {
        throw new IllegalArgumentException(
            "--server-pid is required (to run a full collection); usage: " + USAGE);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("run-memory: " + e.getMessage());
      System.exit(2);
      return;
    }
    HttpClient http = HttpClient.newHttpClient();
    double maxHeap = Scrape.sum(Scrape.get(http, metrics), "memory_maxHeap_bytes");
    double before = usedHeapAfterGc(http, metrics, pid);
    String text = Scrape.get(http, metrics);
    double envelopesBefore = Scrape.sum(text, "messageRouter_recentLogEnvelopes");
    System.out.printf(
        Locale.ROOT,
        "heap max %.0f MiB; used after a full GC, before: %.1f MiB (%.0f envelopes held)%n",
        maxHeap / (1 << 20),
        before / (1 << 20),
        envelopesBefore);

    long start = System.nanoTime();
    long sent = fill(LoadOptions.address("--doppler", doppler), secret, apps, perApp, size, rate);
    System.out.printf(
        Locale.ROOT,
        "sent %,d signed datagrams of %d bytes (%d apps × %d) in %.1f s%n",
        sent,
        size + DatagramSignature.HMAC_LENGTH,
        apps,
        perApp,
        (System.nanoTime() - start) / 1e9);
    TimeUnit.SECONDS.sleep(2);

    double after = usedHeapAfterGc(http, metrics, pid);
    text = Scrape.get(http, metrics);
    double held = Scrape.sum(text, "messageRouter_recentLogEnvelopes");
    System.out.printf(
        Locale.ROOT,
        "doppler: received %,.0f, apps tracked %,.0f, envelopes held %,.0f, apps evicted %,.0f%n",
        Scrape.sum(text, "dropsondeListener_receivedMessageCount_total", "component=\"doppler\""),
        Scrape.sum(text, "messageRouter_numberOfApps"),
        held,
        Scrape.sum(text, "messageRouter_evictedApps_total"));
    System.out.printf(
        Locale.ROOT,
        "heap used after a full GC, after: %.1f MiB of %.0f MiB; the rings hold %.1f MiB more,"
            + " %.0f bytes per envelope held (%d of them envelope bytes)%n",
        after / (1 << 20),
        maxHeap / (1 << 20),
        (after - before) / (1 << 20),
        (after - before) / Math.max(1, held - envelopesBefore),
        size);
  }

  /** Sends {@code perApp} rounds, each one envelope to every app, paced at {@code rate}. */
  private static long fill(
      InetSocketAddress target, String secret, int apps, int perApp, int size, int rate)
      throws IOException {
    DatagramSignature signature = new DatagramSignature(secret);
    LogEnvelopeWriter[] writers = new LogEnvelopeWriter[apps];
    for (int a = 0; a < apps; a++) {
      writers[a] =
          LogEnvelopeWriter.builder("memory")
              .appId(String.format(Locale.ROOT, "memory-app-%05d", a))
              .sourceType("APP")
              .sourceInstance("0")
              .build();
    }
    int messageLength = PacedGenerator.messageLength(writers[0], size);
    byte[] message = new byte[messageLength];
    Arrays.fill(message, (byte) 'm');
    byte[] envelope = new byte[size + 16];
    byte[] datagram = new byte[size + 16 + DatagramSignature.HMAC_LENGTH];
    ByteBuffer buffer = ByteBuffer.wrap(datagram);
    long sent = 0;
    long startNanos = System.nanoTime();
    try (DatagramChannel channel = PacedGenerator.connect(target)) {
      for (int round = 0; round < perApp; round++) {
        byte[] text = (round + " ").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, message, 0, Math.min(text.length, messageLength));
        for (int a = 0; a < apps; a++) {
          int length =
              writers[a].write(
                  envelope,
                  0,
                  LogEnvelopeWriter.OUT,
                  LgrNotice.nowNanos(),
                  message,
                  0,
                  messageLength);
          int signed = signature.sign(envelope, 0, length, datagram, 0);
          buffer.clear().limit(signed);
          channel.write(buffer);
          sent++;
          long wait = startNanos + sent * 1_000_000_000L / rate - System.nanoTime();
          if (wait > 50_000) {
            LockSupport.parkNanos(wait);
          }
        }
      }
    }
    return sent;
  }

  /** Two full collections in the server, then the heap it uses. */
  private static double usedHeapAfterGc(HttpClient http, String metrics, long pid)
      throws Exception {
    Scrape.jcmd(pid, List.of("GC.run"));
    Scrape.jcmd(pid, List.of("GC.run"));
    TimeUnit.MILLISECONDS.sleep(500);
    return Scrape.sum(Scrape.get(http, metrics), "memory_usedHeap_bytes");
  }
}
