package org.loggregator.bench.harness;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.loggregator.auth.PemKeys;
import org.loggregator.cli.token.TokenClaims;
import org.loggregator.cli.token.TokenMinter;
import org.loggregator.protocol.LgrNotice;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

/**
 * End-to-end latency: sends LogMessage envelopes at a fixed, evenly paced rate to an agent's UDP
 * ingress, reads the app's stream through a traffic controller, and reports what arrived and the
 * latency from each envelope's timestamp (set when it is sent) to its arrival at the client.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.loggregator.bench.harness.LatencyHarness \
 *   --rate 1000 --seconds 10 [--agent 127.0.0.1:3457] [--endpoint ws://127.0.0.1:8080]
 *   [--key target/liberty/wlp/usr/servers/all-in-one/resources/security/token-private.pem]
 * </pre>
 */
public final class LatencyHarness {
  private LatencyHarness() {}

  public static void main(String[] args) throws Exception {
    int rate = 1000;
    int seconds = 10;
    String agent = "127.0.0.1:3457";
    String endpoint = "ws://127.0.0.1:8080";
    String key = "target/liberty/wlp/usr/servers/all-in-one/resources/security/token-private.pem";
    int size = 211;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rate" -> rate = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--agent" -> agent = args[i + 1];
        case "--endpoint" -> endpoint = args[i + 1];
        case "--key" -> key = args[i + 1];
        case "--size" -> size = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("Unknown option " + args[i] + ".");
      }
    }
    String appId = "latency-" + UUID.randomUUID();
    String token =
        new TokenMinter(PemKeys.readPrivate(Path.of(key))).mint(TokenClaims.forApps(appId));
    int total = rate * seconds;
    long[] latencies = new long[total];
    AtomicInteger received = new AtomicInteger();
    WebSocket ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header("Authorization", "bearer " + token)
            .buildAsync(
                URI.create(endpoint + "/apps/" + appId + "/stream"),
                new WebSocket.Listener() {
                  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

                  @Override
                  public CompletionStage<?> onBinary(
                      WebSocket webSocket, ByteBuffer data, boolean last) {
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    partial.write(bytes, 0, bytes.length);
                    if (last) {
                      long now = LgrNotice.nowNanos();
                      try {
                        Envelope envelope = Envelope.parseFrom(partial.toByteArray());
                        if (!"LGR".equals(envelope.getLogMessage().getSourceType())) {
                          int n = received.getAndIncrement();
                          if (n < latencies.length) {
                            latencies[n] = now - envelope.getTimestamp();
                          }
                        }
                      } catch (Exception e) {
                        // not an envelope: ignore
                      }
                      partial.reset();
                    }
                    webSocket.request(1);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    Thread.sleep(1500); // let the controller connect to the dopplers

    String[] hostPort = agent.split(":");
    InetSocketAddress target = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    String padding = "x".repeat(Math.max(0, size - 120));
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(target);
      long interval = 1_000_000_000L / rate;
      long start = System.nanoTime();
      for (int i = 0; i < total; i++) {
        long due = start + i * interval;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          if (wait > 100_000) {
            LockSupport.parkNanos(wait - 50_000);
          }
        }
        long now = LgrNotice.nowNanos();
        byte[] envelope =
            Envelope.newBuilder()
                .setOrigin("harness")
                .setEventType(Envelope.EventType.LogMessage)
                .setTimestamp(now)
                .setLogMessage(
                    LogMessage.newBuilder()
                        .setMessage(ByteString.copyFromUtf8(i + " " + padding))
                        .setMessageType(LogMessage.MessageType.OUT)
                        .setTimestamp(now)
                        .setAppId(appId)
                        .setSourceType("APP")
                        .setSourceInstance("0"))
                .build()
                .toByteArray();
        socket.send(new DatagramPacket(envelope, envelope.length));
      }
    }
    Thread.sleep(3000);
    ws.abort();
    int got = Math.min(received.get(), total);
    long[] sorted = Arrays.copyOf(latencies, got);
    Arrays.sort(sorted);
    System.out.printf(
        "rate %d/s for %d s: sent %d, received %d, loss %.3f %%, latency p50 %.2f ms, p99 %.2f ms,"
            + " max %.2f ms%n",
        rate,
        seconds,
        total,
        got,
        100.0 * (total - got) / total,
        percentile(sorted, 0.50) / 1e6,
        percentile(sorted, 0.99) / 1e6,
        got == 0 ? 0 : sorted[got - 1] / 1e6);
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }
}
