package org.loggregator.agent.emitter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.loggregator.agent.forward.DopplerForwarder;
import org.loggregator.agent.forward.DopplerRoutes;
import org.loggregator.agent.forward.ManyToOneEnvelopeRing;
import org.loggregator.agent.ingress.UdpIngressListener;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.agent.testing.VerifyingUdpReceiver;
import org.loggregator.config.HostPort;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.GoldenVectors;
import org.loggregator.protocol.TestSecrets;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

class EmitterTest {

  private static final String APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";

  @Test
  void shouldReachTheDopplerSignedWhenEmittedThroughTheAgentIngress() throws Exception {
    AgentCounters counters = new AgentCounters();
    try (VerifyingUdpReceiver doppler = new VerifyingUdpReceiver(TestSecrets.SECRET)) {
      ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 20);
      DopplerRoutes routes =
          DopplerRoutes.toDopplers(List.of(new HostPort("127.0.0.1", doppler.port())));
      try (DopplerForwarder forwarder =
              new DopplerForwarder(
                  ring, routes, new DatagramSignature(TestSecrets.SECRET), counters);
          UdpIngressListener agent =
              new UdpIngressListener(
                  new HostPort("127.0.0.1", 0), 1 << 20, ring, routes, null, "agent", counters);
          Emitter emitter = Emitter.to(agent.localAddress(), "my-component")) {
        forwarder.start();
        agent.start();
        LogSource app = emitter.logSource(APP, "APP", "0");
        assertTrue(app.out("hello from stdout"));
        assertTrue(app.err("é 中 😀 on stderr"));
        assertTrue(emitter.counter("requests", 2));
        assertTrue(emitter.counter("requests", 3));
        byte[] metric = GoldenVectors.envelopeBytes("value_metric");
        assertTrue(emitter.emit(metric, 0, metric.length));

        List<byte[]> received = doppler.receive(5, 5_000);
        assertEquals(5, received.size());
        Envelope out = Envelope.parseFrom(received.get(0));
        assertEquals("my-component", out.getOrigin());
        assertEquals("hello from stdout", out.getLogMessage().getMessage().toStringUtf8());
        assertEquals(LogMessage.MessageType.OUT, out.getLogMessage().getMessageType());
        assertEquals(APP, out.getLogMessage().getAppId());
        assertEquals("APP", out.getLogMessage().getSourceType());
        assertEquals("0", out.getLogMessage().getSourceInstance());
        assertTrue(out.getTimestamp() > 1_600_000_000_000_000_000L);
        Envelope err = Envelope.parseFrom(received.get(1));
        assertEquals("é 中 😀 on stderr", err.getLogMessage().getMessage().toStringUtf8());
        assertEquals(LogMessage.MessageType.ERR, err.getLogMessage().getMessageType());
        Envelope counter = Envelope.parseFrom(received.get(3));
        assertEquals("requests", counter.getCounterEvent().getName());
        assertEquals(3, counter.getCounterEvent().getDelta());
        assertEquals(5, counter.getCounterEvent().getTotal());
        assertArrayEquals(metric, received.get(4));
        assertEquals(5, emitter.sent());
        assertEquals(0, emitter.dropped());
      }
    }
  }

  @Test
  void shouldSendMarkedPartsWhenAMessageIsLongerThanOneEnvelopeHolds() throws Exception {
    try (DatagramSocket agent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        Emitter emitter =
            Emitter.to(new InetSocketAddress("127.0.0.1", agent.getLocalPort()), "c")) {
      agent.setReceiveBufferSize(4 << 20);
      agent.setSoTimeout(5_000);
      String message = "é".repeat(70_000); // 140,000 bytes
      assertTrue(emitter.logSource(APP, "APP", "1").out(message));
      StringBuilder joined = new StringBuilder();
      List<String> parts = new ArrayList<>();
      while (parts.isEmpty() || !parts.get(parts.size() - 1).contains("/")) {
        DatagramPacket p = new DatagramPacket(new byte[70_000], 70_000);
        agent.receive(p);
        Envelope e = Envelope.parseFrom(Arrays.copyOf(p.getData(), p.getLength()));
        byte[] bytes = e.getLogMessage().getMessage().toByteArray();
        assertTrue(bytes.length <= Emitter.MAX_MESSAGE_BYTES);
        joined.append(new String(bytes, StandardCharsets.UTF_8));
        parts.add(e.getTagsOrThrow("line_part"));
      }
      assertEquals(List.of("1", "2", "3/3"), parts);
      assertEquals(message, joined.toString());
    }
  }

  @Test
  void shouldCountADropAndNotThrowWhenTheEmitterIsClosed() throws Exception {
    Emitter emitter = Emitter.to(new InetSocketAddress("127.0.0.1", 9), "c");
    emitter.close();
    assertFalse(emitter.logSource(APP, "APP", "0").out("lost"));
    assertEquals(1, emitter.dropped());
  }

  @Test
  void shouldEncodeLikeStringGetBytesWhenTextHasAnyCharacters() {
    Random random = new Random(3);
    for (int round = 0; round < 2000; round++) {
      StringBuilder s = new StringBuilder();
      for (int i = random.nextInt(50); i > 0; i--) {
        s.append((char) random.nextInt(0x10000)); // lone surrogates included
      }
      String text = s.toString();
      byte[] dst = new byte[200];
      int[] position = {0};
      int n = LogSource.encodeUtf8(text, position, dst);
      assertEquals(text.length(), position[0]);
      assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), Arrays.copyOf(dst, n), text);
    }
  }
}
