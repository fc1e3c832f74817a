package org.loggregator.bench.memory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--apps" -> apps = Integer.parseInt(value);
        case "--per-app" -> perApp = Integer.parseInt(value);
        case "--size" -> size = Integer.parseInt(value);
        case "--rate" -> rate = Integer.parseInt(value);
        case "--doppler" -> doppler = value;
        case "--metrics" -> metrics = value;
        case "--shared-secret" -> secret = value;
        case "--server-pid" -> pid = Long.parseLong(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + ".");
      }
    }
    if (pid < 0) {
      throw new IllegalArgumentException("--server-pid is required (to run a full collection).");
    }
    HttpClient http = HttpClient.newHttpClient();
    double maxHeap = metric(http, metrics, "memory_maxHeap_bytes");
    double before = usedHeapAfterGc(http, metrics, pid);
    double envelopesBefore = metric(http, metrics, "messageRouter_recentLogEnvelopes");
    System.out.printf(
        Locale.ROOT,
        "heap max %.0f MiB; used after a full GC, before: %.1f MiB (%.0f envelopes held)%n",
        maxHeap / (1 << 20),
        before / (1 << 20),
        envelopesBefore);

    long start = System.nanoTime();
    long sent = fill(doppler, secret, apps, perApp, size, rate);
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
    double held = metric(http, metrics, "messageRouter_recentLogEnvelopes");
    double tracked = metric(http, metrics, "messageRouter_numberOfApps");
    double evicted = metric(http, metrics, "messageRouter_evictedApps_total");
    double received =
        metric(http, metrics, "dropsondeListener_receivedMessageCount_total", "doppler");
    System.out.printf(
        Locale.ROOT,
        "doppler: received %,.0f, apps tracked %,.0f, envelopes held %,.0f, apps evicted %,.0f%n",
        received,
        tracked,
        held,
        evicted);
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
  private static long fill(String doppler, String secret, int apps, int perApp, int size, int rate)
      throws IOException {
    int colon = doppler.lastIndexOf(':');
    InetSocketAddress target =
        new InetSocketAddress(
            doppler.substring(0, colon), Integer.parseInt(doppler.substring(colon + 1)));
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
    long now = LgrNotice.nowNanos();
    int messageLength = size - writers[0].encodedLength(now, 0);
    while (writers[0].encodedLength(now, messageLength) > size) {
      messageLength--;
    }
    byte[] message = new byte[messageLength];
    Arrays.fill(message, (byte) 'm');
    byte[] envelope = new byte[size + 16];
    byte[] datagram = new byte[size + 16 + DatagramSignature.HMAC_LENGTH];
    ByteBuffer buffer = ByteBuffer.wrap(datagram);
    long sent = 0;
    long startNanos = System.nanoTime();
    try (DatagramChannel channel = DatagramChannel.open()) {
      channel.connect(target);
      for (int round = 0; round < perApp; round++) {
        byte[] text = (round + " ").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, message, 0, text.length);
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
          long due = startNanos + sent * 1_000_000_000L / rate;
          long wait = due - System.nanoTime();
          if (wait > 50_000) {
            LockSupport.parkNanos(wait);
          }
        }
      }
    }
    return sent;
  }

  private static double usedHeapAfterGc(HttpClient http, String metrics, long pid)
      throws Exception {
    for (int i = 0; i < 2; i++) {
      Process gc =
          new ProcessBuilder("jcmd", Long.toString(pid), "GC.run")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
        throw new IOException(
            "jcmd " + pid + " GC.run failed: is the server running as this user?");
      }
    }
    TimeUnit.MILLISECONDS.sleep(500);
    return metric(http, metrics, "memory_usedHeap_bytes");
  }

  private static double metric(HttpClient http, String url, String name, String... component)
      throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        if (component.length == 0 || line.contains("component=\"" + component[0] + "\"")) {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return total;
  }
}
