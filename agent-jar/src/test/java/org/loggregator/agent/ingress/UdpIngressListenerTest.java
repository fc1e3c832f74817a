package org.loggregator.agent.ingress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.loggregator.agent.forward.DopplerForwarder;
import org.loggregator.agent.forward.DopplerRoutes;
import org.loggregator.agent.forward.ManyToOneEnvelopeRing;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.agent.ratelimit.LogRateLimiter;
import org.loggregator.agent.testing.VerifyingUdpReceiver;
import org.loggregator.config.HostPort;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.GoldenVectors;
import org.loggregator.protocol.events.Envelope;

class UdpIngressListenerTest {

  private static final HostPort ANY_LOCAL_PORT = new HostPort("127.0.0.1", 1);
  private final AgentCounters counters = new AgentCounters();

  private UdpIngressListener bind(
      ManyToOneEnvelopeRing ring, DopplerRoutes routes, LogRateLimiter limiter) throws Exception {
    return new UdpIngressListener(
        new HostPort("127.0.0.1", 0), 8 << 20, ring, routes, limiter, "agent", counters);
  }

  @Test
  void shouldForwardEveryGoldenEnvelopeByteForByteAndNumberOnlyAppLogLinesWhenEmittersSendThem()
      throws Exception {
    try (VerifyingUdpReceiver doppler = new VerifyingUdpReceiver(GoldenVectors.SECRET);
        DatagramSocket emitter = new DatagramSocket()) {
      ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 20);
      DopplerRoutes routes =
          DopplerRoutes.toDopplers(List.of(new HostPort("127.0.0.1", doppler.port())));
      try (DopplerForwarder forwarder =
              new DopplerForwarder(
                  ring, routes, new DatagramSignature(GoldenVectors.SECRET), counters);
          UdpIngressListener listener = bind(ring, routes, null)) {
        forwarder.start();
        listener.start();
        System.out.println(
            "ingress receive buffer granted: " + listener.receiveBufferBytes() + " bytes");
        assertTrue(listener.receiveBufferBytes() > 0);
        for (String name : GoldenVectors.CASES) {
          byte[] envelope = GoldenVectors.envelopeBytes(name);
          emitter.send(new DatagramPacket(envelope, envelope.length, listener.localAddress()));
        }
        List<byte[]> accepted = doppler.receive(GoldenVectors.CASES.size(), 5_000);
        assertEquals(GoldenVectors.CASES.size(), accepted.size());
        int numbered = 0;
        for (int i = 0; i < accepted.size(); i++) {
          String name = GoldenVectors.CASES.get(i);
          byte[] got = accepted.get(i);
          org.loggregator.protocol.RoutingFields f = new org.loggregator.protocol.RoutingFields();
          assertEquals(
              org.loggregator.protocol.ReadResult.OK,
              new org.loggregator.protocol.EnvelopeReader().read(got, 0, got.length, f));
          boolean appLine =
              f.eventType() == org.loggregator.protocol.RoutingFields.LOG_MESSAGE && f.hasAppId();
          assertEquals(appLine, f.hasTransit(), name + ": only an app's log lines are numbered");
          if (f.hasTransit()) {
            numbered++;
            assertArrayEquals(
                GoldenVectors.envelopeBytes(name), Arrays.copyOf(got, f.transitStart()), name);
          } else {
            assertArrayEquals(GoldenVectors.envelopeBytes(name), got, name);
            assertArrayEquals(GoldenVectors.signedBytes(name), doppler.datagrams().get(i), name);
          }
        }
        assertTrue(numbered > 0);
      }
    }
    assertEquals(GoldenVectors.CASES.size(), counters.get(AgentCounter.INGRESS_RECEIVED_MESSAGES));
  }

  @Test
  void shouldCountAndDropWhenADatagramIsNotAValidEnvelope() throws Exception {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    try (UdpIngressListener listener =
        bind(ring, DopplerRoutes.toDopplers(List.of(ANY_LOCAL_PORT)), null)) {
      byte[] envelope = GoldenVectors.envelopeBytes("log_out");
      listener.handle(new byte[] {1, 2, 3}, 3);
      listener.handle(Arrays.copyOf(envelope, envelope.length - 5), envelope.length - 5);
      byte[] noOrigin = {0x10, 0x05};
      listener.handle(noOrigin, 2);
      assertEquals(3, counters.get(AgentCounter.INGRESS_UNMARSHAL_ERRORS));
      assertTrue(ring.isEmpty());
    }
  }

  @Test
  void shouldRouteByAppIdWhenTheEnvelopeNamesOne() throws Exception {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    DopplerRoutes routes =
        DopplerRoutes.toDopplers(
            List.of(new HostPort("10.0.0.1", 3458), new HostPort("10.0.0.2", 3458)));
    try (UdpIngressListener listener = bind(ring, routes, null)) {
      for (String name : GoldenVectors.CASES) {
        byte[] envelope = GoldenVectors.envelopeBytes(name);
        listener.handle(envelope, envelope.length);
      }
    }
    List<Integer> destinations = new ArrayList<>();
    ring.drain((d, k, b, o, l) -> destinations.add(d), 100);
    int owner = routes.destinationOf("6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab");
    int any = ManyToOneEnvelopeRing.ANY_DESTINATION;
    int http = routes.destinationOf(org.loggregator.protocol.AppIds.uuidText(1, 2));
    // log_out, log_err_tags, value_metric, counter_event, container_metric, error, http.
    assertEquals(List.of(owner, owner, any, any, owner, any, http), destinations);
  }

  @Test
  void shouldDropCountAndNotifyTheAppWhenItsLogsExceedTheRateLimit() throws Exception {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    try (UdpIngressListener listener =
        bind(ring, DopplerRoutes.toDopplers(List.of(ANY_LOCAL_PORT)), new LogRateLimiter(2, 100))) {
      byte[] log = GoldenVectors.envelopeBytes("log_out");
      byte[] metric = GoldenVectors.envelopeBytes("value_metric");
      for (int i = 0; i < 5; i++) {
        listener.handle(log, log.length);
        listener.handle(metric, metric.length);
      }
    }
    List<Envelope> out = new ArrayList<>();
    ring.drain(
        (d, k, b, o, l) -> {
          try {
            out.add(Envelope.parseFrom(Arrays.copyOfRange(b, o, o + l)));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        },
        100);
    List<Envelope> logs = out.stream().filter(Envelope::hasLogMessage).toList();
    assertEquals(3, logs.size(), "two lines and one notice");
    assertEquals(5, out.stream().filter(Envelope::hasValueMetric).count(), "metrics not limited");
    Envelope notice = logs.get(2);
    assertEquals("LGR", notice.getLogMessage().getSourceType());
    assertEquals("0", notice.getLogMessage().getSourceInstance());
    assertEquals("6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab", notice.getLogMessage().getAppId());
    assertEquals(
        "app instance exceeded log rate limit (2 log-lines/sec)",
        notice.getLogMessage().getMessage().toStringUtf8());
    assertEquals(3, counters.get(AgentCounter.DROPPED_RATE_LIMITED));
  }

  @Test
  void shouldNotAllocatePerDatagramWhenReceivingAndQueueing() throws Exception {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 20);
    DopplerRoutes routes =
        DopplerRoutes.toDopplers(
            List.of(new HostPort("10.0.0.1", 3458), new HostPort("10.0.0.2", 3458)));
    try (UdpIngressListener listener = bind(ring, routes, null);
        DatagramSocket emitter = new DatagramSocket()) {
      listener.start();
      Thread receiver =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().equals("agent-udp-ingress") && t.isAlive())
              .findFirst()
              .orElseThrow();
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean)
              java.lang.management.ManagementFactory.getThreadMXBean();
      byte[] envelope = GoldenVectors.envelopeBytes("log_out");
      DatagramPacket packet =
          new DatagramPacket(envelope, envelope.length, listener.localAddress());
      long allocated = 0;
      long received = 0;
      for (int round = 0; round < 2; round++) { // the first round warms up
        long before = threads.getThreadAllocatedBytes(receiver.getId());
        long receivedBefore = counters.get(AgentCounter.INGRESS_RECEIVED_MESSAGES);
        for (int i = 0; i < 20_000; i++) {
          emitter.send(packet);
          if (i % 100 == 0) {
            ring.drain((d, k, b, o, l) -> {}, 1000);
          }
        }
        long last = -1;
        while (counters.get(AgentCounter.INGRESS_RECEIVED_MESSAGES) != last) {
          last = counters.get(AgentCounter.INGRESS_RECEIVED_MESSAGES); // until it stops moving
          ring.drain((d, k, b, o, l) -> {}, Integer.MAX_VALUE);
          Thread.sleep(100);
        }
        allocated = threads.getThreadAllocatedBytes(receiver.getId()) - before;
        received = counters.get(AgentCounter.INGRESS_RECEIVED_MESSAGES) - receivedBefore;
      }
      assertTrue(received > 1_000, "received " + received);
      assertTrue(
          allocated < 8_192, "allocated " + allocated + " bytes for " + received + " datagrams");
    }
  }

  @Test
  void shouldCountADropWhenTheRingIsFull() throws Exception {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    try (UdpIngressListener listener =
        bind(ring, DopplerRoutes.toDopplers(List.of(ANY_LOCAL_PORT)), null)) {
      byte[] envelope = GoldenVectors.envelopeBytes("log_out");
      int n = 1100;
      for (int i = 0; i < n; i++) {
        listener.handle(envelope, envelope.length);
      }
      long queued = ring.drain((d, k, b, o, l) -> {}, Integer.MAX_VALUE);
      assertEquals(n, queued + counters.get(AgentCounter.DROPPED_QUEUE_FULL));
      assertTrue(counters.get(AgentCounter.DROPPED_QUEUE_FULL) > 0);
    }
  }
}
