package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.TransitTrailer;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

/**
 * A real agent runs an app whose lines reach the real doppler through a UDP relay that drops some
 * of the app's datagrams; the doppler tells the app, in its recent logs, exactly how many were
 * lost, and counts them for the agent's host.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TransitLossIT {
  private static final int LINES = 600;
  static final Pattern NOTICE =
      Pattern.compile(
          "(\\d+) log lines? from host (.+) (?:was|were) lost in transit to doppler (\\S+) in the"
              + " last 5 s");

  private final DopplerClient doppler = new DopplerClient();

  @Deployment(testable = false)
  static WebArchive doppler() {
    return TestServer.war("doppler.war", "doppler.war");
  }

  @AfterEach
  void close() {
    doppler.close();
  }

  /**
   * Forwards datagrams from the agent to the doppler, dropping the numbered ones of one app whose
   * sequence number the rule picks; knows which it dropped.
   */
  static final class Relay implements AutoCloseable {
    final DatagramChannel channel;
    final String appId;
    final IntPredicate drop;
    final Thread thread;
    long dropped;
    long droppedBeforeLast; // dropped, with a later number of the app forwarded
    int highestForwarded = -1;
    private final java.util.List<Integer> droppedSequences = new java.util.ArrayList<>();

    Relay(String appId, IntPredicate drop) throws IOException {
      this.appId = appId;
      this.drop = drop;
      channel = DatagramChannel.open();
      channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
      channel.bind(new InetSocketAddress("127.0.0.1", 0));
      thread = new Thread(this::run, "transit-relay");
      thread.start();
    }

    int port() throws IOException {
      return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    private void run() {
      ByteBuffer buffer = ByteBuffer.allocate(DatagramSignature.MAX_DATAGRAM + 1);
      InetSocketAddress to = new InetSocketAddress("127.0.0.1", DopplerClient.UDP_PORT);
      EnvelopeReader reader = new EnvelopeReader();
      RoutingFields fields = new RoutingFields();
      try {
        while (true) {
          buffer.clear();
          channel.receive(buffer);
          buffer.flip();
          byte[] bytes = buffer.array();
          int length = buffer.limit();
          boolean ours =
              reader.read(bytes, 32, length - 32, fields) == ReadResult.OK
                  && fields.hasTransit()
                  && appId.equals(fields.appId());
          if (ours) {
            int sequence = fields.transitSequence();
            synchronized (this) {
              if (drop.test(sequence)) {
                dropped++;
                droppedSequences.add(sequence);
                continue;
              }
              highestForwarded = Math.max(highestForwarded, sequence);
            }
          }
          channel.send(buffer, to);
        }
      } catch (ClosedChannelException e) {
        // closed by the test
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The drops the doppler can see: those followed by a forwarded number of the app. */
    synchronized long visibleDrops() {
      return droppedSequences.stream().filter(s -> s < highestForwarded).count();
    }

    @Override
    public void close() throws IOException {
      channel.close();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void shouldTellTheAppAndCountExactlyWhatTheRelayDroppedWhenItDropsEveryTenth() throws Exception {
    assertExactCounts(s -> s % 10 == 9);
  }

  @Test
  void shouldTellTheAppAndCountExactlyWhatTheRelayDroppedWhenItDropsFivePercentAtRandom()
      throws Exception {
    Random random = new Random(20261203L);
    boolean[] drops = new boolean[LINES + 10];
    for (int i = 0; i < drops.length; i++) {
      drops[i] = random.nextInt(100) < 5;
    }
    assertExactCounts(s -> s < drops.length && drops[s]);
  }

  private void assertExactCounts(IntPredicate drop) throws Exception {
    String host = TransitTrailer.hostText(InetAddress.getLocalHost().getHostName());
    String agentLabel = "agent=\"" + host + "\"";
    String appId = "transit-" + UUID.randomUUID();
    double lostBefore =
        TestServer.metric("transit_lostEnvelopes_total", "component=\"doppler\"", agentLabel);
    double receivedBefore =
        TestServer.metric("transit_receivedEnvelopes_total", "component=\"doppler\"", agentLabel);
    long expected;
    long forwarded;
    long dropped;
    DopplerClient.Subscription stream = doppler.subscribe("/apps/" + appId + "/stream", true);
    Thread.sleep(300); // let the subscription register before the agent sends
    try (Relay relay = new Relay(appId, drop)) {
      // 600 lines, 50 at a time with a pause, so that no kernel buffer on the way overflows.
      Process agent =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  System.getProperty("it.agent.jar"),
                  "run",
                  "--shared-secret",
                  DopplerClient.SECRET,
                  "--app-id",
                  appId,
                  "--dopplers",
                  "127.0.0.1:" + relay.port(),
                  "--quiet",
                  "--",
                  "sh",
                  "-c",
                  "i=0; while [ $i -lt "
                      + LINES
                      + " ]; do echo line $i; i=$((i+1)); "
                      + "if [ $((i % 50)) -eq 0 ]; then sleep 0.05; fi; done")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      assertTrue(agent.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, agent.exitValue());
      Thread.sleep(500); // the relay forwards what is still in its socket
      expected = relay.visibleDrops();
      forwarded = relay.highestForwarded + 1 - expected;
      dropped = relay.dropped;
      assertTrue(dropped > 10, "the relay dropped some: " + dropped);
    }

    long told = 0;
    String named = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (told < expected && System.nanoTime() < deadline) {
      byte[] envelope = stream.next(1);
      if (envelope == null) {
        continue;
      }
      LogMessage log = Envelope.parseFrom(envelope).getLogMessage();
      Matcher m = NOTICE.matcher(log.getMessage().toStringUtf8());
      if ("LGR".equals(log.getSourceType()) && m.matches()) {
        told += Long.parseLong(m.group(1));
        named = m.group(2);
      }
    }
    stream.close();
    boolean inRecentLogs = false;
    for (byte[] envelope : doppler.getEnvelopes("/apps/" + appId + "/recentlogs")) {
      LogMessage log = Envelope.parseFrom(envelope).getLogMessage();
      inRecentLogs |=
          "LGR".equals(log.getSourceType())
              && NOTICE.matcher(log.getMessage().toStringUtf8()).matches();
    }
    assertTrue(inRecentLogs, "the notice is in the app's recent logs too");
    assertEquals(expected, told, "the notices add up to what the relay dropped");
    assertEquals(host, named);
    double lost = 0;
    double received = 0;
    for (int i = 0; i < 100; i++) {
      lost =
          TestServer.metric("transit_lostEnvelopes_total", "component=\"doppler\"", agentLabel)
              - lostBefore;
      received =
          TestServer.metric("transit_receivedEnvelopes_total", "component=\"doppler\"", agentLabel)
              - receivedBefore;
      if (lost >= expected && received >= forwarded) {
        break;
      }
      Thread.sleep(200);
    }
    System.out.printf(
        "[transit] relay dropped %d of the app's lines, %d before a later one; notices told %d;"
            + " counters: lost %.0f, received %.0f (expected %d)%n",
        dropped, expected, told, lost, received, forwarded);
    assertEquals(expected, (long) lost, "transit_lostEnvelopes_total for the agent's host");
    assertEquals(forwarded, (long) received, "transit_receivedEnvelopes_total");
  }
}
