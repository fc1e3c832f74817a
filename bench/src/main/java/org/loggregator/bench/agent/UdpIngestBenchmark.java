package org.loggregator.bench.agent;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.loggregator.protocol.LogEnvelopeWriter;

/**
 * Load harness for the agent's UDP ingress: starts {@code agent.jar serve} as its own process,
 * sends it 211-byte LogMessage envelopes at rising rates from one sender thread, and reports for
 * each rate what the agent received and what the kernel dropped on the agent's ingress socket (the
 * {@code drops} column of {@code /proc/net/udp}, which is where {@code RcvbufErrors} of {@code
 * /proc/net/snmp} come from for that socket). The highest rate with less than 0.1 % kernel drops is
 * the agent's maximum ingest rate on this machine. The agent forwards to a bound UDP socket that is
 * never read (a black hole on 127.0.0.1), so its sender's work is included. Reports figures;
 * asserts nothing.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar
 * org.loggregator.bench.agent.UdpIngestBenchmark [agent.jar] [seconds per step] [sender threads]
 * [rates...]}
 */
public final class UdpIngestBenchmark {

  private static final int DATAGRAM_BYTES = 211;
  private static final double MAX_DROP_RATIO = 0.001;

  private UdpIngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "agent-jar/target/agent.jar");
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    List<Integer> rates = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      rates.add(Integer.parseInt(args[i]));
    }
    if (rates.isEmpty()) {
      rates = List.of(25_000, 50_000, 75_000, 100_000, 125_000, 150_000, 175_000, 200_000, 250_000);
    }
    byte[][] envelopes = envelopes();

    int ingressPort;
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      ingressPort = probe.getLocalPort();
    }
    int metricsPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      metricsPort = probe.getLocalPort();
    }
    int holePort;
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      holePort = probe.getLocalPort();
    }
    {
      List<String> command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx64m",
              "-XX:+UseSerialGC",
              "-jar",
              jar.toString(),
              "serve",
              "--shared-secret",
              org.loggregator.bench.BenchSecret.SECRET,
              "--ingress",
              "127.0.0.1:" + ingressPort,
              "--metrics-port",
              Integer.toString(metricsPort),
              "--dopplers",
              "127.0.0.1:" + holePort);
      Process agent = new ProcessBuilder(command).redirectErrorStream(true).start();
      try {
        String ready = awaitReady(agent);
        System.out.println(ready);
        System.out.printf(
            Locale.ROOT,
            "%d cores, net.core.rmem_max %s, %d-byte datagrams, %d s per rate, %d sender threads%n",
            Runtime.getRuntime().availableProcessors(),
            Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).trim(),
            DATAGRAM_BYTES,
            seconds,
            threads);
        {
          InetSocketAddress ingress = new InetSocketAddress("127.0.0.1", ingressPort);
          run(ingress, threads, envelopes, 20_000, 2, ingressPort, metricsPort); // warm-up
          System.out.println(
              "target/s  achieved/s   received  socket drops  drop %  (agent's count, host"
                  + " RcvbufErrors)  lost %  agent queue-full drops");
          int best = 0;
          for (int rate : rates) {
            Step s = run(ingress, threads, envelopes, rate, seconds, ingressPort, metricsPort);
            double ratio = s.sent == 0 ? 0 : (double) s.kernelDrops / s.sent;
            double lost = s.sent == 0 ? 0 : (double) (s.sent - s.received) / s.sent;
            System.out.printf(
                Locale.ROOT,
                "%8d  %10.0f  %9d  %12d  %6.3f  (%d, %d)  %6.3f  %d%n",
                rate,
                s.sent / s.seconds,
                s.received,
                s.kernelDrops,
                100 * ratio,
                s.agentKernelDrops,
                s.rcvbufErrors,
                100 * lost,
                s.queueFull);
            if (ratio < MAX_DROP_RATIO && s.sent / s.seconds >= 0.97 * rate) {
              best = rate;
            }
          }
          System.out.println(
              "highest rate with < 0.1 % kernel drops (and reached by the sender): " + best + "/s");
        }
      } finally {
        agent.toHandle().destroy();
        if (!agent.waitFor(10, TimeUnit.SECONDS)) {
          agent.destroyForcibly();
        }
        System.out.println(
            new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    }
  }

  private record Step(
      long sent,
      double seconds,
      long received,
      long kernelDrops,
      long rcvbufErrors,
      long agentKernelDrops,
      long queueFull) {}

  /**
   * Sends at {@code rate} per second in all for {@code seconds}, split over {@code threads}
   * connected senders, each sending what is due every time it looks at the clock.
   */
  private static Step run(
      InetSocketAddress ingress,
      int threads,
      byte[][] envelopes,
      int rate,
      int seconds,
      int port,
      int metricsPort)
      throws Exception {
    long dropsBefore = socketDrops(port);
    long rcvbufBefore = rcvbufErrors();
    long agentDropsBefore = metric(metricsPort, KERNEL_DROPS);
    long receivedBefore = metric(metricsPort, RECEIVED);
    long queueBefore = metric(metricsPort, QUEUE_FULL);
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long[] sent = new long[threads];
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      long share = rate / threads + (t < rate % threads ? 1 : 0);
      Thread thread =
          new Thread(
              () -> {
                try (DatagramChannel sender = DatagramChannel.open()) {
                  sender.connect(ingress);
                  ByteBuffer[] buffers = new ByteBuffer[envelopes.length];
                  for (int i = 0; i < envelopes.length; i++) {
                    buffers[i] = ByteBuffer.wrap(envelopes[i]);
                  }
                  long n = 0;
                  long now;
                  while ((now = System.nanoTime()) < end) {
                    long due = now < start ? 0 : (now - start) * share / 1_000_000_000L;
                    while (n < due) {
                      ByteBuffer b = buffers[(int) ((n + id) % buffers.length)];
                      b.clear();
                      sender.write(b);
                      n++;
                    }
                    Thread.onSpinWait();
                  }
                  sent[id] = n;
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      thread.start();
      senders.add(thread);
    }
    for (Thread thread : senders) {
      thread.join();
    }
    long total = 0;
    for (long n : sent) {
      total += n;
    }
    double elapsed = (end - start) / 1e9;
    Thread.sleep(500); // let the agent finish what is in its socket
    long received = metric(metricsPort, RECEIVED) - receivedBefore;
    long queueFull = metric(metricsPort, QUEUE_FULL) - queueBefore;
    return new Step(
        total,
        elapsed,
        received,
        socketDrops(port) - dropsBefore,
        rcvbufErrors() - rcvbufBefore,
        metric(metricsPort, KERNEL_DROPS) - agentDropsBefore,
        queueFull);
  }

  private static final String RECEIVED = "dropsondeAgentListener_receivedMessageCount_total";
  private static final String KERNEL_DROPS = "dropsondeAgentListener_kernelDrops_total";
  private static final String QUEUE_FULL =
      "agent_droppedMessages_total{direction=\"ingress\",reason=\"queueFull\"}";

  /** 211-byte LogMessage envelopes of 16 apps. */
  private static byte[][] envelopes() {
    byte[][] result = new byte[16][];
    for (int i = 0; i < result.length; i++) {
      String appId = String.format(Locale.ROOT, "6f1c2a3b-9a7e-4d2b-8f0e-%012d", i);
      LogEnvelopeWriter writer =
          LogEnvelopeWriter.builder("bench")
              .appId(appId)
              .sourceType("APP")
              .sourceInstance("0")
              .build();
      long ts = 1_700_000_000_000_000_000L;
      int messageLength = 0;
      while (writer.encodedLength(ts, messageLength) < DATAGRAM_BYTES) {
        messageLength++;
      }
      byte[] message = "x".repeat(messageLength).getBytes(StandardCharsets.US_ASCII);
      result[i] = new byte[writer.encodedLength(ts, messageLength)];
      writer.write(result[i], 0, LogEnvelopeWriter.OUT, ts, message, 0, message.length);
      if (result[i].length != DATAGRAM_BYTES) {
        throw new IllegalStateException("envelope of " + result[i].length + " bytes");
      }
    }
    return result;
  }

  private static String awaitReady(Process agent) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = agent.getInputStream().read()) >= 0) {
      if (c == '\n') {
        String l = line.toString();
        if (l.startsWith("agent: ready")) {
          return l;
        }
        if (!l.startsWith("agent: warning")) {
          throw new IllegalStateException("agent did not start: " + l);
        }
        line.setLength(0);
      } else {
        line.append((char) c);
      }
    }
    throw new IllegalStateException("agent exited: " + line);
  }

  /**
   * The drops column of /proc/net/udp and /proc/net/udp6 for the sockets bound to the port (a JDK
   * socket is dual-stack IPv6 unless opened for IPv4, and then it is listed in udp6).
   */
  static long socketDrops(int port) throws IOException {
    String portHex = String.format(Locale.ROOT, ":%04X", port);
    long sum = 0;
    for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
      for (String line : Files.readAllLines(Path.of(table))) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 13 && f[1].endsWith(portHex)) {
          sum += Long.parseLong(f[12]);
        }
      }
    }
    return sum;
  }

  /** RcvbufErrors of /proc/net/snmp: every UDP socket of the host. */
  static long rcvbufErrors() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
    String[] names = null;
    for (String line : lines) {
      if (line.startsWith("Udp: ")) {
        if (names == null) {
          names = line.split(" ");
        } else {
          String[] values = line.split(" ");
          for (int i = 0; i < names.length; i++) {
            if (names[i].equals("RcvbufErrors")) {
              return Long.parseLong(values[i]);
            }
          }
        }
      }
    }
    return -1;
  }

  private static long metric(int port, String series) throws Exception {
    String text =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\d+)$").matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
