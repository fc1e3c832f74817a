package org.loggregator.agent.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.loggregator.agent.cli.Option;
import org.loggregator.agent.testing.VerifyingUdpReceiver;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.GoldenVectors;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.TestSecrets;
import org.loggregator.protocol.events.Envelope;

/** The agent JAR as a process: its command line, exit codes, signals and serve mode. */
class AgentProcessIT {

  static int freeUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      return s.getLocalPort();
    }
  }

  static int freeTcpPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void shouldListEveryOptionAndExitZeroWhenHelpIsAsked() throws Exception {
    try (AgentProcess agent = AgentProcess.start("--help")) {
      assertEquals(0, agent.waitForExit());
      for (Option o : Option.values()) {
        assertTrue(agent.stdout().contains(o.flag()), o.flag());
      }
      assertTrue(agent.stdout().contains("--shared-secret-file: required"), agent.stdout());
      assertFalse(agent.stdout().contains("loggregatorEndPointSharedSecret"), "no default");
    }
  }

  @Test
  void shouldPrintOneSentenceNamingTheFlagAndExitTwoWhenAFlagIsBad() throws Exception {
    try (AgentProcess agent = AgentProcess.start("serve", "--queue-bytes", "lots")) {
      assertEquals(2, agent.waitForExit());
      assertEquals(
          "agent: Option --queue-bytes must be a size from 1048576 to 1073741824 bytes (such as"
              + " 8MiB or 65536), but is \"lots\".\n",
          agent.stderr());
    }
    try (AgentProcess agent = AgentProcess.start("run", "--app-id", "a", "--nope", "--", "true")) {
      assertEquals(2, agent.waitForExit());
      assertEquals("agent: Unknown option --nope (see --help).\n", agent.stderr());
    }
  }

  @Test
  void shouldExitWithTheChildsCodeWhenTheChildExits() throws Exception {
    try (AgentProcess agent =
        AgentProcess.start(
            "run", "--app-id", "a", "--dopplers", "127.0.0.1:9", "--", "sh", "-c", "exit 7")) {
      assertEquals(7, agent.waitForExit());
      System.out.println(
          "run mode, child 'exit 7': agent exited after " + agent.millisSinceStart() + " ms");
    }
  }

  @Test
  void shouldExit127WithOneSentenceWhenTheCommandDoesNotExist() throws Exception {
    try (AgentProcess agent =
        AgentProcess.start("run", "--quiet", "--app-id", "a", "--", "/no/such/command")) {
      assertEquals(127, agent.waitForExit());
      assertTrue(
          agent.stderr().contains("agent: Cannot run /no/such/command: command not found."),
          agent.stderr());
      assertFalse(agent.stderr().contains("\tat "), "no stack trace");
    }
  }

  @Test
  void shouldStopTheChildAndExitWithItsCodeWhenTheAgentGetsSigterm() throws Exception {
    try (VerifyingUdpReceiver doppler = new VerifyingUdpReceiver(TestSecrets.SECRET);
        AgentProcess agent =
            AgentProcess.start(
                "run",
                "--app-id",
                "app-1",
                "--shared-secret",
                TestSecrets.SECRET,
                "--dopplers",
                doppler.address(),
                "--pass-through",
                "--",
                "sh",
                "-c",
                "trap 'echo got TERM; exit 42' TERM; echo started; while true; do sleep 0.05; done")) {
      while (!agent.stdout().contains("started")) {
        assertTrue(agent.process().isAlive(), agent.stderr());
        Thread.sleep(10);
      }
      agent.sigterm(); // SIGTERM to the agent, by its own handle
      assertEquals(42, agent.waitForExit());
      assertTrue(agent.stdout().contains("got TERM"), "the child got SIGTERM: " + agent.stdout());
      List<String> lines =
          doppler.receive(100, 1_000).stream()
              .map(AgentProcessIT::parse)
              .filter(Envelope::hasLogMessage)
              .map(e -> e.getLogMessage().getMessage().toStringUtf8())
              .toList();
      assertEquals(List.of("started", "got TERM"), lines, "lines after the signal still go out");
    }
  }

  @Test
  void shouldForwardIngressEnvelopesUnchangedAndServeMetricsWhenServing() throws Exception {
    int ingressPort = freeUdpPort();
    int metricsPort = freeTcpPort();
    try (VerifyingUdpReceiver doppler = new VerifyingUdpReceiver(TestSecrets.SECRET);
        DatagramSocket emitter = new DatagramSocket();
        AgentProcess agent =
            AgentProcess.start(
                List.of("-Xmx64m"),
                "serve",
                "--ingress",
                "127.0.0.1:" + ingressPort,
                "--metrics-port",
                Integer.toString(metricsPort),
                "--dopplers",
                doppler.address())) {
      String ready = agent.awaitStderrLine(l -> l.startsWith("agent: ready in "));
      System.out.println("serve mode: " + ready);
      assertTrue(ready.contains("receive buffer granted"), ready);
      assertFalse(agent.stderr().contains("warning"), agent.stderr());
      assertFalse(agent.stderr().contains(TestSecrets.SECRET), "the secret is never printed");
      for (String name : GoldenVectors.CASES) {
        byte[] envelope = GoldenVectors.envelopeBytes(name);
        emitter.send(
            new DatagramPacket(
                envelope, envelope.length, new InetSocketAddress("127.0.0.1", ingressPort)));
      }
      emitter.send(
          new DatagramPacket(
              new byte[] {1, 2}, 2, new InetSocketAddress("127.0.0.1", ingressPort)));
      List<byte[]> accepted = doppler.receive(GoldenVectors.CASES.size(), 5_000);
      DatagramSignature signature = new DatagramSignature(TestSecrets.SECRET);
      EnvelopeReader reader = new EnvelopeReader();
      RoutingFields original = new RoutingFields();
      RoutingFields forwarded = new RoutingFields();
      for (int i = 0; i < GoldenVectors.CASES.size(); i++) {
        byte[] envelope = GoldenVectors.envelopeBytes(GoldenVectors.CASES.get(i));
        byte[] sent = accepted.get(i);
        assertEquals(ReadResult.OK, reader.read(envelope, 0, envelope.length, original));
        assertEquals(ReadResult.OK, reader.read(sent, 0, sent.length, forwarded));
        // A LogMessage with an app id gains the transit trailer, appended; nothing else changes.
        boolean numbered =
            original.eventType() == Envelope.EventType.LogMessage_VALUE && original.hasAppId();
        assertEquals(numbered, forwarded.hasTransit(), GoldenVectors.CASES.get(i));
        int end = numbered ? forwarded.transitStart() : sent.length;
        assertArrayEquals(envelope, Arrays.copyOf(sent, end), "forwarded unchanged");
        assertArrayEquals(
            signature.sign(sent, 0, sent.length),
            doppler.datagrams().get(i),
            "signed with the test secret, trailer included");
      }
      assertEquals(GoldenVectors.CASES.size(), accepted.size());
      assertEquals(0, doppler.badSignatures());

      String metrics = scrape(metricsPort);
      while (!metrics.contains("\ndropsondeUnmarshaller_unmarshalErrors_total 1\n")) {
        Thread.sleep(10); // the invalid datagram went last; wait until the agent counted it
        metrics = scrape(metricsPort);
      }
      assertTrue(
          metrics.contains("\ndropsondeAgentListener_receivedMessageCount_total 8\n"), metrics);
      assertTrue(metrics.contains("\ndropsondeUnmarshaller_unmarshalErrors_total 1\n"), metrics);
      assertTrue(metrics.contains("\nDopplerForwarder_sentMessages_total 7\n"), metrics);

      agent.sigterm();
      assertEquals(0, agent.waitForExit(), "serve exits 0 when stopped by SIGTERM");
      assertTrue(agent.stderr().contains("agent: stopped; received 8 datagrams (1 invalid)"));
      // The last counters go out as CounterEvents with origin MetronAgent when it stops.
      List<Envelope> counters =
          doppler.receive(100, 1_000).stream()
              .skip(GoldenVectors.CASES.size())
              .map(AgentProcessIT::parse)
              .toList();
      assertTrue(
          counters.stream()
              .anyMatch(
                  e ->
                      AgentProcess.isAgentCounter(
                          e, "dropsondeAgentListener.receivedMessageCount", 8)),
          counters.toString());
    }
  }

  @Test
  void shouldExitOneWithOneSentenceWhenTheIngressPortIsTaken() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        AgentProcess agent =
            AgentProcess.start(
                "serve", "--metrics-port", "0", "--ingress", "127.0.0.1:" + taken.getLocalPort())) {
      assertEquals(1, agent.waitForExit());
      assertTrue(
          agent
              .stderr()
              .contains("agent: Cannot listen for UDP on 127.0.0.1:" + taken.getLocalPort()),
          agent.stderr());
    }
  }

  private static String scrape(int port) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static Envelope parse(byte[] bytes) {
    try {
      return Envelope.parseFrom(bytes);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
