package org.loggregator.controller.inbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loggregator.config.DopplerAddress;
import org.loggregator.config.HostPort;
import org.loggregator.metrics.Counter;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RendezvousShard;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.events.CounterEvent;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

class ZoneForwarderTest {
  private static final String SECRET = "test-only-shared-secret-0123456789abcdef";
  private static final int RECEIVE_TIMEOUT_MILLIS = 10_000;

  private final DatagramSignature signer = new DatagramSignature(SECRET);
  private final EnvelopeReader reader = new EnvelopeReader();
  private final RoutingFields fields = new RoutingFields();

  /** The listener's reused receive buffer, with stale bytes past each datagram. */
  private final byte[] receiveBuffer = new byte[DatagramSignature.MAX_DATAGRAM + 1];

  private final Counter sent = Counter.local();
  private final Counter sendErrors = Counter.local();
  private final Counter dropped = Counter.local();
  private final List<DatagramSocket> dopplerSockets = new ArrayList<>();
  private final List<DopplerAddress> dopplers = new ArrayList<>();
  private ZoneForwarder forwarder;

  @BeforeEach
  void start() throws IOException {
    for (int i = 0; i < 2; i++) {
      DatagramSocket socket =
          new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      socket.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
      socket.setReceiveBufferSize(1 << 20);
      dopplerSockets.add(socket);
      dopplers.add(
          new DopplerAddress(
              "z1",
              new HostPort("127.0.0.1", socket.getLocalPort()),
              URI.create("http://127.0.0.1:8080/doppler")));
    }
    forwarder = new ZoneForwarder(dopplers, sent, sendErrors, dropped);
    Arrays.fill(receiveBuffer, (byte) 0x5a);
  }

  @AfterEach
  void stop() throws IOException {
    forwarder.close();
    dopplerSockets.forEach(DatagramSocket::close);
  }

  private static byte[] logEnvelope(String appId, String text) {
    LogMessage.Builder log =
        LogMessage.newBuilder()
            .setMessage(ByteString.copyFromUtf8(text))
            .setMessageType(LogMessage.MessageType.OUT)
            .setTimestamp(1_700_000_000_000_000_000L);
    if (appId != null) {
      log.setAppId(appId);
    }
    return Envelope.newBuilder()
        .setOrigin("test")
        .setEventType(Envelope.EventType.LogMessage)
        .setTimestamp(1_700_000_000_000_000_000L)
        .setLogMessage(log)
        .build()
        .toByteArray();
  }

  private static byte[] counterEnvelope(String name) {
    return Envelope.newBuilder()
        .setOrigin("test")
        .setEventType(Envelope.EventType.CounterEvent)
        .setCounterEvent(CounterEvent.newBuilder().setName(name).setDelta(1))
        .build()
        .toByteArray();
  }

  /**
   * What the inbound listener does with one signed datagram: receive it into the reused buffer,
   * read the envelope after the HMAC and hand it on. Returns the datagram as it arrived.
   */
  private byte[] arrive(byte[] envelope) {
    byte[] datagram = signer.sign(envelope, 0, envelope.length);
    System.arraycopy(datagram, 0, receiveBuffer, 0, datagram.length);
    int offset = DatagramSignature.HMAC_LENGTH;
    int length = datagram.length - offset;
    assertTrue(signer.verify(receiveBuffer, 0, datagram.length));
    assertEquals(ReadResult.OK, reader.read(receiveBuffer, offset, length, fields));
    forwarder.onEnvelope(receiveBuffer, offset, length, fields);
    return datagram;
  }

  private static byte[] receive(DatagramSocket socket) throws IOException {
    byte[] buffer = new byte[DatagramSignature.MAX_DATAGRAM + 1];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    socket.receive(packet);
    return Arrays.copyOf(buffer, packet.getLength());
  }

  private DatagramSocket socketOf(DopplerAddress doppler) {
    return dopplerSockets.get(dopplers.indexOf(doppler));
  }

  private static String appIdOf(byte[] datagram) throws IOException {
    return Envelope.parseFrom(
            Arrays.copyOfRange(datagram, DatagramSignature.HMAC_LENGTH, datagram.length))
        .getLogMessage()
        .getAppId();
  }

  @Test
  void shouldForwardTheSignedDatagramByteForByteWhenAnEnvelopeArrives() throws IOException {
    String appId = "0b4a6c0e-5a1c-4f6b-9a66-2f1f0f6b7d11";
    byte[] arrived = arrive(logEnvelope(appId, "hello from the app"));

    byte[] forwarded = receive(socketOf(forwarder.ownerOf(appId).orElseThrow()));

    assertArrayEquals(arrived, forwarded);
    assertTrue(
        new DatagramSignature(SECRET).verify(forwarded, 0, forwarded.length),
        "the doppler can verify the HMAC it was sent");
    assertEquals(1, sent.count());
    assertEquals(0, sendErrors.count());
    assertEquals(0, dropped.count());
  }

  @Test
  void shouldSendEveryAppToItsRendezvousOwnerWhenManyAppsArrive() throws IOException {
    RendezvousShard<DopplerAddress> shard =
        new RendezvousShard<>(dopplers, DopplerAddress::shardKey);
    Map<DopplerAddress, List<String>> expected = new HashMap<>();
    dopplers.forEach(d -> expected.put(d, new ArrayList<>()));

    for (int i = 0; i < 40; i++) {
      String appId = UUID.nameUUIDFromBytes(("app " + i).getBytes()).toString();
      DopplerAddress owner = shard.owner(appId);
      assertEquals(owner, forwarder.ownerOf(appId).orElseThrow());
      // Every app twice, so "always" is tested, not just once.
      expected.get(owner).add(appId);
      expected.get(owner).add(appId);
      arrive(logEnvelope(appId, "first line of " + appId));
      arrive(logEnvelope(appId, "second line of " + appId));
    }

    for (DopplerAddress doppler : dopplers) {
      List<String> received = new ArrayList<>();
      for (int i = 0; i < expected.get(doppler).size(); i++) {
        received.add(appIdOf(receive(socketOf(doppler))));
      }
      assertEquals(expected.get(doppler), received, () -> "apps sent to " + doppler);
      assertTrue(received.size() > 0, "both dopplers own some of 40 apps");
    }
    assertEquals(80, sent.count());
  }

  @Test
  void shouldAlternateBetweenDopplersWhenEnvelopesHaveNoAppId() throws IOException {
    List<byte[]> arrived = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      arrived.add(
          arrive(i % 2 == 0 ? counterEnvelope("counter " + i) : logEnvelope(null, "x" + i)));
    }

    List<byte[]> first = new ArrayList<>();
    List<byte[]> second = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      first.add(receive(dopplerSockets.get(0)));
      second.add(receive(dopplerSockets.get(1)));
    }

    // In turn: 0, 2, 4 to one doppler and 1, 3, 5 to the other.
    List<byte[]> evens = List.of(arrived.get(0), arrived.get(2), arrived.get(4));
    List<byte[]> odds = List.of(arrived.get(1), arrived.get(3), arrived.get(5));
    boolean firstGotEvens = Arrays.equals(first.get(0), arrived.get(0));
    List<byte[]> expectFirst = firstGotEvens ? evens : odds;
    List<byte[]> expectSecond = firstGotEvens ? odds : evens;
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(expectFirst.get(i), first.get(i));
      assertArrayEquals(expectSecond.get(i), second.get(i));
    }
    assertEquals(6, sent.count());
  }
}
