package org.loggregator.agent.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.agent.testing.VerifyingUdpReceiver;
import org.loggregator.config.HostPort;
import org.loggregator.membership.NameResolver;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.GoldenVectors;
import org.loggregator.protocol.TestSecrets;

class DopplerForwarderTest {

  private final AgentCounters counters = new AgentCounters();

  @Test
  void shouldSendExactlyTheGoldenSignedDatagramsWhenForwardingTheGoldenEnvelopes()
      throws Exception {
    try (VerifyingUdpReceiver doppler = new VerifyingUdpReceiver(GoldenVectors.SECRET)) {
      ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 20);
      DopplerRoutes routes =
          DopplerRoutes.toDopplers(List.of(new HostPort("127.0.0.1", doppler.port())));
      try (DopplerForwarder forwarder =
          new DopplerForwarder(
              ring, routes, new DatagramSignature(GoldenVectors.SECRET), counters)) {
        forwarder.start();
        for (String name : GoldenVectors.CASES) {
          byte[] envelope = GoldenVectors.envelopeBytes(name);
          ring.offer(ManyToOneEnvelopeRing.ANY_DESTINATION, envelope, 0, envelope.length);
        }
        List<byte[]> accepted = doppler.receive(GoldenVectors.CASES.size(), 5_000);
        assertEquals(GoldenVectors.CASES.size(), accepted.size());
        for (int i = 0; i < GoldenVectors.CASES.size(); i++) {
          String name = GoldenVectors.CASES.get(i);
          assertArrayEquals(GoldenVectors.signedBytes(name), doppler.datagrams().get(i), name);
          assertArrayEquals(
              GoldenVectors.envelopeBytes(name), accepted.get(i), "bytes in = bytes after HMAC");
        }
      }
      assertEquals(GoldenVectors.CASES.size(), counters.get(AgentCounter.SENT_MESSAGES));
      assertEquals(0, doppler.badSignatures());
    }
  }

  @Test
  void shouldSendToTheOwnerOrToEachDopplerInTurnWhenForwarding() throws Exception {
    try (VerifyingUdpReceiver a = new VerifyingUdpReceiver(TestSecrets.SECRET);
        VerifyingUdpReceiver b = new VerifyingUdpReceiver(TestSecrets.SECRET)) {
      DopplerRoutes routes =
          DopplerRoutes.toDopplers(
              List.of(new HostPort("127.0.0.1", a.port()), new HostPort("127.0.0.1", b.port())));
      ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 20);
      byte[] envelope = GoldenVectors.envelopeBytes("value_metric");
      try (DopplerForwarder forwarder =
          new DopplerForwarder(ring, routes, new DatagramSignature(TestSecrets.SECRET), counters)) {
        forwarder.start();
        for (int i = 0; i < 3; i++) {
          ring.offer(0, envelope, 0, envelope.length);
        }
        for (int i = 0; i < 6; i++) {
          ring.offer(ManyToOneEnvelopeRing.ANY_DESTINATION, envelope, 0, envelope.length);
        }
        assertEquals(6, a.receive(6, 2_000).size(), "3 owned, 3 of the 6 in turn");
        assertEquals(3, b.receive(3, 2_000).size());
      }
    }
  }

  @Test
  void shouldSendWhatTheRingStillHoldsWhenClosed() throws Exception {
    try (VerifyingUdpReceiver doppler = new VerifyingUdpReceiver(TestSecrets.SECRET)) {
      ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 20);
      byte[] envelope = GoldenVectors.envelopeBytes("log_out");
      for (int i = 0; i < 500; i++) {
        ring.offer(0, envelope, 0, envelope.length);
      }
      DopplerForwarder forwarder =
          new DopplerForwarder(
              ring,
              DopplerRoutes.toDopplers(List.of(new HostPort("127.0.0.1", doppler.port()))),
              new DatagramSignature(TestSecrets.SECRET),
              counters);
      forwarder.start();
      forwarder.close(10_000);
      assertEquals(500, counters.get(AgentCounter.SENT_MESSAGES));
      assertEquals(500, doppler.receive(500, 2_000).size());
    }
  }

  @Test
  void shouldCountSendErrorsAndCarryOnWhenADopplerNameDoesNotResolve() throws Exception {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 20);
    DopplerRoutes routes = DopplerRoutes.toDopplers(List.of(new HostPort("doppler.invalid", 3458)));
    byte[] envelope = GoldenVectors.envelopeBytes("log_out");
    try (DopplerForwarder forwarder =
        new DopplerForwarder(ring, routes, new DatagramSignature(TestSecrets.SECRET), counters)) {
      forwarder.start();
      for (int i = 0; i < 20; i++) {
        ring.offer(0, envelope, 0, envelope.length);
      }
      forwarder.close(10_000);
    }
    assertEquals(20, counters.get(AgentCounter.SEND_ERRORS));
    assertEquals(0, counters.get(AgentCounter.SENT_MESSAGES));
  }

  @Test
  void shouldSendQueuedLinesToTheirNewOwnerWhenADopplerJoinsTheName() throws Exception {
    try (VerifyingUdpReceiver first = new VerifyingUdpReceiver(TestSecrets.SECRET);
        VerifyingUdpReceiver second =
            new VerifyingUdpReceiver(TestSecrets.SECRET, "127.0.0.2", first.port())) {
      AtomicReference<List<String>> answer = new AtomicReference<>(List.of("127.0.0.1"));
      NameResolver dns =
          host -> {
            List<String> ips = answer.get();
            InetAddress[] out = new InetAddress[ips.size()];
            for (int i = 0; i < out.length; i++) {
              out[i] =
                  InetAddress.getByAddress(host, InetAddress.getByName(ips.get(i)).getAddress());
            }
            return out;
          };
      DopplerRoutes routes =
          DopplerRoutes.toDopplers(List.of(new HostPort("dopplers.test", first.port())), dns);
      int apps = 200;
      int[] queuedFor = new int[apps];
      for (int i = 0; i < apps; i++) {
        queuedFor[i] = routes.destinationOf("app-" + i);
      }
      answer.set(List.of("127.0.0.1", "127.0.0.2"));
      routes.refresh();
      int toSecond = 0;
      for (int i = 0; i < apps; i++) {
        byte[] id = ("app-" + i).getBytes(StandardCharsets.UTF_8);
        int index =
            routes.snapshot().indexOf(queuedFor[i], TransitNumbering.appKey(id, 0, id.length));
        toSecond += routes.target(index).host().equals("127.0.0.2") ? 1 : 0;
      }

      ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 20);
      byte[] envelope = GoldenVectors.envelopeBytes("log_out");
      for (int i = 0; i < apps; i++) {
        byte[] id = ("app-" + i).getBytes(StandardCharsets.UTF_8);
        ring.offer(
            queuedFor[i], TransitNumbering.appKey(id, 0, id.length), envelope, 0, envelope.length);
      }
      try (DopplerForwarder forwarder =
          new DopplerForwarder(ring, routes, new DatagramSignature(TestSecrets.SECRET), counters)) {
        forwarder.start();
        assertEquals(toSecond, second.receive(toSecond, 2_000).size());
        assertEquals(apps - toSecond, first.receive(apps - toSecond, 2_000).size());
      }
      assertEquals(0, first.badSignatures() + second.badSignatures());
      assertTrue(toSecond > 50 && toSecond < 150, "apps now owned by the new doppler: " + toSecond);
    }
  }
}
