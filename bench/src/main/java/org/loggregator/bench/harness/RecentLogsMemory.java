package org.loggregator.bench.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.LgrNotice;
import org.loggregator.protocol.LogEnvelopeWriter;
import org.loggregator.protocol.MultipartEnvelopes;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RequestSignature;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.SharedSecrets;

/**
 * Fills a running doppler's recent-log rings, {@code --apps} apps × {@code --per-app} envelopes of
 * {@code --size} bytes, with signed datagrams sent straight to its UDP port, then reports the heap
 * the server uses after a full collection, before and after, with the doppler's own counts of apps
 * and envelopes held and of what its byte budgets evicted.
 *
 * <p>With {@code --fresh-app N} it then sends N envelopes of an app it never used and reads them
 * back through the doppler's {@code /apps/{id}/recentlogs}, signed as a controller signs: the
 * budgets must leave room for an app that starts logging when every ring is full. It exits 1 when a
 * check fails: the server is gone (with {@code -XX:+ExitOnOutOfMemoryError}, an OutOfMemoryError
 * ends it), the fresh app's envelopes do not all come back, or the rings hold more than {@code
 * --total-budget}. {@code bench/run-memory} starts a doppler with a 512 MiB heap and a shared
 * secret of its own and runs this.
 */
public final class RecentLogsMemory {
  private static final String USAGE =
      "RecentLogsMemory --server-pid PID (--shared-secret SECRET | --shared-secret-file PATH)"
          + " [--apps 10000] [--per-app 100] [--size 211] [--rate 50000]"
          + " [--doppler 127.0.0.1:3458] [--metrics http://127.0.0.1:8090/metrics]"
          + " [--doppler-url http://127.0.0.1:8090/doppler] [--fresh-app 0]"
          + " [--total-budget BYTES (default: a quarter of the server's maximum heap)]";

  /** The largest envelope that goes in one signed datagram. */
  private static final int MAX_SIZE = DatagramSignature.MAX_ENVELOPE;

  private RecentLogsMemory() {}

  /** What the harness is told. */
  private record Options(
      int apps,
      int perApp,
      int size,
      int rate,
      InetSocketAddress doppler,
      String metrics,
      String dopplerUrl,
      String secret,
      int freshApp,
      long totalBudget,
      long pid) {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("run-memory: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(run(options) ? 0 : 1);
  }

  private static Options parse(String[] args) {
    int apps = 10_000;
    int perApp = 100;
    int size = 211;
    int rate = 50_000;
    String doppler = "127.0.0.1:3458";
    String metrics = "http://127.0.0.1:8090/metrics";
    String dopplerUrl = "http://127.0.0.1:8090/doppler";
    String secret = null;
    String secretFile = null;
    int freshApp = 0;
    long totalBudget = -1;
    long pid = -1;
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
        case "--doppler-url" -> dopplerUrl = value.replaceAll("/+$", "");
        case "--shared-secret" -> secret = value;
        case "--shared-secret-file" -> secretFile = value;
        case "--fresh-app" -> freshApp = (int) number(name, value, 0, 1_000);
        case "--total-budget" -> totalBudget = number(name, value, 1, Long.MAX_VALUE);
        case "--server-pid" -> pid = LoadOptions.positive(name, value);
        default ->
            throw new IllegalArgumentException("unknown option " + name + "; usage: " + USAGE);
      }
    }
    if (pid < 0) {
      throw new IllegalArgumentException(
          "--server-pid is required (to run a full collection); usage: " + USAGE);
    }
    if (size > MAX_SIZE) {
      throw new IllegalArgumentException(
          "--size must be at most " + MAX_SIZE + ", so that a signed envelope fits one datagram.");
    }
    if ((secret == null) == (secretFile == null)) {
      throw new IllegalArgumentException(
          "give the doppler's shared secret, with --shared-secret or --shared-secret-file (one);"
              + " usage: "
              + USAGE);
    }
    if (secretFile != null) {
      try {
        secret = Files.readAllLines(Path.of(secretFile)).stream().findFirst().orElse("").trim();
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--shared-secret-file " + secretFile + " cannot be read.");
      }
    }
    SharedSecrets.parse(secret, "The shared secret"); // refuses a short or published one
    return new Options(
        apps,
        perApp,
        size,
        rate,
        LoadOptions.address("--doppler", doppler),
        metrics,
        dopplerUrl,
        secret,
        freshApp,
        totalBudget,
        pid);
  }

  private static long number(String name, String value, long min, long max) {
    try {
      long n = Long.parseLong(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(
        name + " must be a number from " + min + " to " + max + ", not \"" + value + "\".");
  }

  private static boolean run(Options o) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    double maxHeap = Scrape.sum(Scrape.get(http, o.metrics()), "memory_maxHeap_bytes");
    double before = usedHeapAfterGc(http, o.metrics(), o.pid());
    String text = Scrape.get(http, o.metrics());
    double envelopesBefore = Scrape.sum(text, "messageRouter_recentLogEnvelopes");
    System.out.printf(
        Locale.ROOT,
        "heap max %.0f MiB; used after a full GC, before: %.1f MiB (%.0f envelopes held)%n",
        maxHeap / (1 << 20),
        before / (1 << 20),
        envelopesBefore);

    long start = System.nanoTime();
    long sent =
        fill(o.doppler(), o.secret(), "memory-app-", o.apps(), o.perApp(), o.size(), o.rate());
    System.out.printf(
        Locale.ROOT,
        "sent %,d signed datagrams of %d bytes (%d apps × %d) in %.1f s%n",
        sent,
        o.size() + DatagramSignature.HMAC_LENGTH,
        o.apps(),
        o.perApp(),
        (System.nanoTime() - start) / 1e9);
    TimeUnit.SECONDS.sleep(2);

    boolean ok = true;
    if (o.freshApp() > 0) {
      ok &= freshAppIsKept(http, o);
    }

    double after = usedHeapAfterGc(http, o.metrics(), o.pid());
    text = Scrape.get(http, o.metrics());
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
        "recent-log evictions: %,.0f for an app's budget, %,.0f for the total budget%n",
        Scrape.sum(text, "messageRouter_recentLogEvictions_total", "reason=\"app_budget\""),
        Scrape.sum(text, "messageRouter_recentLogEvictions_total", "reason=\"total_budget\""));
    System.out.printf(
        Locale.ROOT,
        "heap used after a full GC, after: %.1f MiB of %.0f MiB; the rings hold %.1f MiB more,"
            + " %.0f bytes per envelope held (%d of them envelope bytes)%n",
        after / (1 << 20),
        maxHeap / (1 << 20),
        (after - before) / (1 << 20),
        (after - before) / Math.max(1, held - envelopesBefore),
        o.size());

    // Every envelope of this run has the same size (the fresh app's too), so the count tells
    // the bytes the rings hold; the budget counts the envelopes' bytes the same way.
    long budget = o.totalBudget() > 0 ? o.totalBudget() : (long) (maxHeap / 4);
    double heldBytes = held * o.size();
    boolean within = heldBytes <= budget * 1.01 + o.size();
    System.out.printf(
        Locale.ROOT,
        "%s: the rings hold %.1f MiB of envelopes, within the total budget of %.1f MiB%n",
        within ? "ok" : "FAILED",
        heldBytes / (1 << 20),
        budget / (double) (1 << 20));
    ok &= within;

    boolean alive = ProcessHandle.of(o.pid()).map(ProcessHandle::isAlive).orElse(false);
    System.out.println(
        alive
            ? "ok: the server is still running (no OutOfMemoryError: it would have exited)"
            : "FAILED: the server is gone (an OutOfMemoryError ends it: see its console.log)");
    return ok && alive;
  }

  /**
   * Sends {@code count} envelopes of an app never used before, of the same size, then reads its
   * recent logs from the doppler: every one must be there, in order.
   */
  private static boolean freshAppIsKept(HttpClient http, Options o) throws Exception {
    String appId = "memory-fresh-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    fill(o.doppler(), o.secret(), appId, 1, o.freshApp(), o.size(), Math.min(o.rate(), 1000));
    TimeUnit.SECONDS.sleep(1);

    String path = "/apps/" + appId + "/recentlogs";
    RequestSignature signature =
        new RequestSignature(SharedSecrets.parse(o.secret(), "The shared secret"));
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(o.dopplerUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header(
                    RequestSignature.HEADER,
                    signature.header(
                        RequestSignature.Request.get(path), System.currentTimeMillis() / 1000))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      System.out.printf(
          Locale.ROOT,
          "FAILED: the fresh app's recent logs answered HTTP %d%n",
          response.statusCode());
      return false;
    }
    String boundary =
        MultipartEnvelopes.boundaryOf(response.headers().firstValue("Content-Type").orElse(""));
    List<byte[]> envelopes =
        boundary == null ? List.of() : MultipartEnvelopes.parse(response.body(), boundary);
    List<Integer> rounds = new ArrayList<>();
    EnvelopeReader reader = new EnvelopeReader();
    RoutingFields fields = new RoutingFields();
    for (byte[] envelope : envelopes) {
      if (reader.read(envelope, 0, envelope.length, fields) != ReadResult.OK
          || !appId.equals(fields.appId())) {
        rounds.add(-1);
        continue;
      }
      String message =
          new String(
              envelope,
              fields.messageOffset(),
              Math.min(16, fields.messageLength()),
              StandardCharsets.US_ASCII);
      rounds.add(Integer.parseInt(message.substring(0, message.indexOf(' '))));
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < o.freshApp(); i++) {
      expected.add(i);
    }
    boolean kept = rounds.equals(expected);
    System.out.printf(
        Locale.ROOT,
        "%s: a fresh app sent %d envelopes after the others and read back %d of them through"
            + " recentlogs%s%n",
        kept ? "ok" : "FAILED",
        o.freshApp(),
        envelopes.size(),
        kept ? ", in order" : " (rounds " + rounds + ")");
    return kept;
  }

  /**
   * Sends {@code perApp} rounds, each one envelope to each of {@code apps} apps (named {@code
   * prefix} and a number, or {@code prefix} alone for one app), paced at {@code rate}. Each message
   * starts with its round and a space.
   */
  private static long fill(
      InetSocketAddress target,
      String secret,
      String prefix,
      int apps,
      int perApp,
      int size,
      int rate)
      throws IOException {
    DatagramSignature signature = new DatagramSignature(secret);
    LogEnvelopeWriter[] writers = new LogEnvelopeWriter[apps];
    for (int a = 0; a < apps; a++) {
      writers[a] =
          LogEnvelopeWriter.builder("memory")
              .appId(apps == 1 ? prefix : String.format(Locale.ROOT, "%s%05d", prefix, a))
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
