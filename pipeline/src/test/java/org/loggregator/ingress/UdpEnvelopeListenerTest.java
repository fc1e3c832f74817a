package org.loggregator.ingress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loggregator.config.HostPort;
import org.loggregator.metrics.MetricName;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.SharedSecrets;
import org.loggregator.protocol.TestEnvelopes;
import org.loggregator.protocol.TestSecrets;
import org.loggregator.protocol.events.Envelope;

class UdpEnvelopeListenerTest {
  private static final String SECRET = TestSecrets.SECRET;
  private static final HostPort ANY_PORT = new HostPort("127.0.0.1", 0);
  private static final int RECEIVE_BUFFER = 4 * 1024 * 1024;
  private static final int BATCH = 50;

  private final ListenerCounters counters =
      new ListenerCounters(MetricName.localCounters(), Map.of());
  private final DatagramSignature signer = new DatagramSignature(SECRET);
  private final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
  private final List<AutoCloseable> toClose = new ArrayList<>();

  /** What the handler saw: a copy of the envelope and its routing fields. */
  record Delivery(byte[] envelope, int eventType, String appId, String thread) {}

  private final EnvelopeHandler collecting =
      (datagram, offset, length, fields) ->
          deliveries.add(
              new Delivery(
                  Arrays.copyOfRange(datagram, offset, offset + length),
                  fields.eventType(),
                  fields.appId(),
                  Thread.currentThread().getName()));

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  private UdpEnvelopeListener start(int threads, SharedSecrets secret, EnvelopeHandler handler)
      throws IOException {
    return start(threads, secret, handler, ANY_PORT);
  }

  private UdpEnvelopeListener start(
      int threads, SharedSecrets secret, EnvelopeHandler handler, HostPort address)
      throws IOException {
    UdpEnvelopeListener listener =
        UdpEnvelopeListener.start(
            address, RECEIVE_BUFFER, threads, secret, counters, handler, Thread::new);
    toClose.add(listener);
    return listener;
  }

  private UdpEnvelopeListener start(int threads) throws IOException {
    return start(threads, TestSecrets.SECRETS, collecting);
  }

  private DatagramChannel sender() throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    toClose.add(channel);
    return channel;
  }

  /** Sends in batches, each time waiting until the listener has received all sent so far. */
  private void sendPaced(
      List<DatagramChannel> senders, List<byte[]> datagrams, InetSocketAddress to)
      throws IOException {
    long before = counters.received();
    for (int i = 0; i < datagrams.size(); i++) {
      senders.get(i % senders.size()).send(ByteBuffer.wrap(datagrams.get(i)), to);
      if ((i + 1) % BATCH == 0 || i == datagrams.size() - 1) {
        long target = before + i + 1;
        await(() -> counters.received(), target, "datagrams received");
      }
    }
  }

  private static void await(LongSupplier actual, long expected, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (actual.getAsLong() < expected) {
      if (System.nanoTime() - deadline > 0) {
        fail("Expected " + expected + " " + what + ", saw " + actual.getAsLong() + ".");
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  private static byte[] logEnvelope(String appId, String text) {
    return TestEnvelopes.bytes(TestEnvelopes.log(appId, text));
  }

  private byte[] signed(byte[] envelope) {
    return signer.sign(envelope, 0, envelope.length);
  }

  private static Path vectorsDir() {
    String property = System.getProperty("loggregator.vectors");
    if (property != null && Files.isDirectory(Path.of(property))) {
      return Path.of(property);
    }
    try {
      return Path.of(UdpEnvelopeListenerTest.class.getResource("/vectors/README.md").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Path> signedVectors() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(vectorsDir(), "*.signed.bin")) {
      stream.forEach(files::add);
    }
    Collections.sort(files);
    assertFalse(files.isEmpty(), "no signed vectors in " + vectorsDir());
    return files;
  }

  private List<byte[]> envelopes() {
    synchronized (deliveries) {
      return deliveries.stream().map(Delivery::envelope).toList();
    }
  }

  @Test
  void shouldDeliverEveryGoldenVectorIntactWhenSignedWithTheSharedSecret() throws Exception {
    UdpEnvelopeListener listener = start(1);
    List<Path> vectors = signedVectors();
    List<byte[]> datagrams = new ArrayList<>();
    for (Path vector : vectors) {
      // The vectors are signed with the published secret, which no listener takes: sign their
      // envelopes again with this deployment's.
      String name = vector.getFileName().toString().replace(".signed.bin", "");
      datagrams.add(signed(Files.readAllBytes(vectorsDir().resolve(name + ".envelope.bin"))));
    }

    sendPaced(List.of(sender()), datagrams, listener.localAddress());
    await(deliveries::size, vectors.size(), "deliveries");

    assertEquals(vectors.size(), deliveries.size());
    for (int i = 0; i < vectors.size(); i++) {
      String name = vectors.get(i).getFileName().toString().replace(".signed.bin", "");
      byte[] expected = Files.readAllBytes(vectorsDir().resolve(name + ".envelope.bin"));
      Delivery delivery = deliveries.get(i);
      assertArrayEquals(expected, delivery.envelope(), name);
      Envelope parsed = Envelope.parseFrom(expected);
      assertEquals(parsed.getEventType().getNumber(), delivery.eventType(), name);
    }
    assertEquals(0, counters.droppedIngress());
    assertEquals(vectors.size(), counters.received());
    long bytes = datagrams.stream().mapToLong(d -> d.length).sum();
    assertEquals(bytes, counters.receivedBytes());
  }

  @Test
  void shouldDropEveryGoldenVectorAsBadlySignedBecauseItsPublishedSecretIsNotTheSharedSecret()
      throws Exception {
    UdpEnvelopeListener listener = start(1, TestSecrets.SECRETS, collecting);
    List<byte[]> datagrams = new ArrayList<>();
    for (Path vector : signedVectors()) {
      datagrams.add(Files.readAllBytes(vector));
    }

    sendPaced(List.of(sender()), datagrams, listener.localAddress());
    // Received is counted before the check: wait for the listener to finish with the last one.
    await(counters::badSignatures, datagrams.size(), "bad signatures");

    assertEquals(datagrams.size(), counters.badSignatures());
    assertEquals(datagrams.size(), counters.droppedIngress());
    assertTrue(deliveries.isEmpty());
  }

  /** A bad datagram and the reason it must be counted under. */
  private record Bad(byte[] datagram, String reason) {}

  private List<Bad> badDatagrams() {
    byte[] good = logEnvelope("app", "a perfectly good line");
    byte[] flippedHmac = signed(good);
    flippedHmac[5] ^= 1;
    byte[] flippedEnvelope = signed(good);
    flippedEnvelope[flippedEnvelope.length - 1] ^= 1;
    byte[] otherSecret = new DatagramSignature("notTheSecret").sign(good, 0, good.length);
    byte[] garbage = {0x0b, 0x00, (byte) 0xff, 0x07, 0x01};
    byte[] truncated = Arrays.copyOf(good, good.length / 2);
    byte[] mismatched =
        TestEnvelopes.bytes(
            TestEnvelopes.log("app", "a line under the wrong event type")
                .setEventType(Envelope.EventType.ValueMetric)
                .clearTimestamp());
    return List.of(
        new Bad(new byte[0], "short"),
        new Bad(new byte[10], "short"),
        new Bad(Arrays.copyOf(signed(good), 31), "short"),
        new Bad(flippedHmac, "mismatch"),
        new Bad(flippedEnvelope, "mismatch"),
        new Bad(otherSecret, "mismatch"),
        new Bad(signed(garbage), ReadResult.MALFORMED.name()),
        new Bad(signed(truncated), ReadResult.TRUNCATED.name()),
        new Bad(signed(new byte[0]), ReadResult.MISSING_REQUIRED.name()),
        new Bad(signed(mismatched), ReadResult.PAYLOAD_MISMATCH.name()));
  }

  @Test
  void shouldCountEachBadDatagramByReasonAndDeliverEveryGoodOneWhenInterleaved() throws Exception {
    UdpEnvelopeListener listener = start(1);
    List<Bad> bads = badDatagrams();
    EnvelopeReader reader = new EnvelopeReader();
    RoutingFields fields = new RoutingFields();
    for (Bad bad : bads) { // the test's own premise: each payload fails as labelled
      if (bad.datagram().length >= DatagramSignature.HMAC_LENGTH
          && !bad.reason().equals("mismatch")) {
        ReadResult result =
            reader.read(
                bad.datagram(),
                DatagramSignature.HMAC_LENGTH,
                bad.datagram().length - DatagramSignature.HMAC_LENGTH,
                fields);
        assertEquals(bad.reason(), result.name());
      }
    }
    List<byte[]> goodEnvelopes = new ArrayList<>();
    List<byte[]> datagrams = new ArrayList<>();
    Map<String, Integer> expected = new HashMap<>();
    for (int i = 0; i < 1_000; i++) {
      byte[] envelope = logEnvelope("app-" + (i % 7), "line " + i);
      goodEnvelopes.add(envelope);
      datagrams.add(signed(envelope));
      if (i % 10 == 9) {
        Bad bad = bads.get((i / 10) % bads.size());
        datagrams.add(bad.datagram());
        expected.merge(bad.reason(), 1, Integer::sum);
      }
    }
    int badCount = datagrams.size() - goodEnvelopes.size();

    sendPaced(List.of(sender()), datagrams, listener.localAddress());
    await(deliveries::size, goodEnvelopes.size(), "deliveries");
    await(counters::droppedIngress, badCount, "dropped datagrams");

    assertEquals(datagrams.size(), counters.received());
    assertEquals((long) expected.getOrDefault("short", 0), counters.shortDatagrams(), "short");
    assertEquals((long) expected.getOrDefault("mismatch", 0), counters.badSignatures(), "mismatch");
    Map<ReadResult, Long> unmarshal = new EnumMap<>(ReadResult.class);
    for (ReadResult reason : ReadResult.values()) {
      if (reason != ReadResult.OK) {
        unmarshal.put(reason, counters.unmarshalErrors(reason));
        assertEquals(
            (long) expected.getOrDefault(reason.name(), 0),
            counters.unmarshalErrors(reason),
            reason.name());
      }
    }
    assertTrue(unmarshal.values().stream().allMatch(n -> n > 0), "every reason was exercised");
    assertEquals(badCount, counters.droppedIngress());
    assertEquals(0, counters.handlerErrors());
    assertEquals(0, counters.oversized());
    List<byte[]> received = envelopes();
    assertEquals(goodEnvelopes.size(), received.size());
    for (int i = 0; i < goodEnvelopes.size(); i++) {
      assertArrayEquals(goodEnvelopes.get(i), received.get(i), "envelope " + i);
      assertEquals("app-" + (i % 7), deliveries.get(i).appId());
    }
  }

  @Test
  void shouldCountAndCarryOnWhenTheHandlerThrows() throws Exception {
    EnvelopeHandler failingForOneApp =
        (datagram, offset, length, fields) -> {
          if ("boom".equals(fields.appId())) {
            throw new IllegalStateException("a bug in routing");
          }
          collecting.onEnvelope(datagram, offset, length, fields);
        };
    UdpEnvelopeListener listener = start(1, TestSecrets.SECRETS, failingForOneApp);
    List<byte[]> datagrams = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      datagrams.add(signed(logEnvelope(i % 4 == 0 ? "boom" : "fine", "line " + i)));
    }

    sendPaced(List.of(sender()), datagrams, listener.localAddress());
    await(deliveries::size, 15, "deliveries");
    await(counters::handlerErrors, 5, "handler errors");

    assertEquals(5, counters.handlerErrors());
    assertEquals(5, counters.droppedIngress());
    assertEquals(15, deliveries.size());
    assertEquals(1, listener.runningThreads(), "the receive loop is still running");
  }

  @Test
  void shouldSurviveAnyErrorButAVirtualMachineErrorAndReportTheLoopThatDied() throws Exception {
    EnvelopeHandler faulty =
        (datagram, offset, length, fields) -> {
          switch (fields.appId()) {
            case "assert" -> throw new AssertionError("a failed assertion in a handler");
            case "link" -> throw new NoClassDefFoundError("a class that went missing");
            case "oom" -> throw new OutOfMemoryError("injected");
            default -> collecting.onEnvelope(datagram, offset, length, fields);
          }
        };
    UdpEnvelopeListener listener = start(1, TestSecrets.SECRETS, faulty);
    sendPaced(
        List.of(sender()),
        List.of(
            signed(logEnvelope("assert", "1")),
            signed(logEnvelope("link", "2")),
            signed(logEnvelope("fine", "3"))),
        listener.localAddress());
    await(deliveries::size, 1, "deliveries");
    assertEquals(2, counters.handlerErrors());
    assertEquals(null, listener.problem(System.nanoTime()), "alive after ordinary errors");

    sendPaced(List.of(sender()), List.of(signed(logEnvelope("oom", "4"))), listener.localAddress());
    await(() -> 1 - listener.runningThreads(), 1, "the loop to end");
    String problem = listener.problem(System.nanoTime());
    assertTrue(
        problem != null
            && problem.contains("lost a receive thread")
            && problem.contains("OutOfMemoryError"),
        problem);
  }

  @Test
  void shouldReportALoopStuckInItsHandlerForMoreThanTenSeconds() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    EnvelopeHandler blocking =
        (datagram, offset, length, fields) -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    UdpEnvelopeListener listener = start(1, TestSecrets.SECRETS, blocking);
    try {
      sendPaced(List.of(sender()), List.of(signed(logEnvelope("a", "1"))), listener.localAddress());
      await(counters::received, 1, "received");
      long now = System.nanoTime();
      assertEquals(null, listener.problem(now));
      String problem = listener.problem(now + UdpEnvelopeListener.STUCK_NANOS + 1_000_000_000L);
      assertTrue(problem != null && problem.contains("has been handling one datagram"), problem);
    } finally {
      release.countDown();
    }
    listener.close();
    assertEquals(null, listener.problem(System.nanoTime()), "a closed listener is not a problem");
  }

  @Test
  void shouldAcceptDatagramsSignedWithAnyOfItsSecretsWhenTwoAreListed() throws Exception {
    UdpEnvelopeListener listener =
        start(
            1,
            SharedSecrets.parse(TestSecrets.NEXT + "," + TestSecrets.SECRET, "test secrets"),
            collecting);
    byte[] envelope = logEnvelope("a", "line");
    byte[] byNew = new DatagramSignature(TestSecrets.NEXT).sign(envelope, 0, envelope.length);
    byte[] byOld = new DatagramSignature(TestSecrets.SECRET).sign(envelope, 0, envelope.length);
    byte[] byOther =
        new DatagramSignature("neither-of-the-two-secrets-0123456789")
            .sign(envelope, 0, envelope.length);

    sendPaced(List.of(sender()), List.of(byNew, byOld, byOther), listener.localAddress());
    await(counters::badSignatures, 1, "bad signatures");
    await(deliveries::size, 2, "deliveries");

    assertEquals(2, deliveries.size());
    assertEquals(1, counters.badSignatures());
  }

  @Test
  void shouldDeliverEverythingWhenTwoReceiverThreadsShareThePort() throws Exception {
    UdpEnvelopeListener listener = start(2);
    assertEquals(2, listener.runningThreads());
    int senders = 8;
    List<DatagramChannel> channels = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      channels.add(sender());
    }
    List<byte[]> datagrams = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      // Datagram i goes out from sender i % senders: name it so its order can be checked.
      datagrams.add(signed(logEnvelope("sender-" + (i % senders), Integer.toString(i))));
    }

    sendPaced(channels, datagrams, listener.localAddress());
    await(deliveries::size, datagrams.size(), "deliveries");

    assertEquals(0, counters.droppedIngress());
    List<Delivery> all;
    synchronized (deliveries) {
      all = List.copyOf(deliveries);
    }
    assertEquals(1_000, all.size());
    boolean[] seen = new boolean[1_000];
    int[] lastOfSender = new int[senders];
    Arrays.fill(lastOfSender, -1);
    for (Delivery delivery : all) {
      int i =
          Integer.parseInt(
              Envelope.parseFrom(delivery.envelope()).getLogMessage().getMessage().toStringUtf8());
      assertFalse(seen[i], "datagram " + i + " delivered twice");
      seen[i] = true;
      int sender = i % senders;
      assertTrue(lastOfSender[sender] < i, "the envelopes of one sender stay in order");
      lastOfSender[sender] = i;
    }
  }

  @Test
  void shouldEndEveryReceiverThreadWhenClosed() throws Exception {
    UdpEnvelopeListener listener = start(2);
    assertEquals(2, listener.runningThreads());
    assertTrue(listener.grantedReceiveBuffer() > 0);

    listener.close();

    assertEquals(0, listener.runningThreads());
  }

  @Test
  void shouldFailNamingTheAddressWhenThePortIsInUse() throws Exception {
    UdpEnvelopeListener first = start(1);
    int port = first.localAddress().getPort();
    assertTrue(port > 0);

    IOException e =
        assertThrows(
            IOException.class,
            () -> start(1, TestSecrets.SECRETS, collecting, new HostPort("127.0.0.1", port)));

    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    assertEquals(1, first.runningThreads(), "the listener that holds the port carries on");
  }
}
