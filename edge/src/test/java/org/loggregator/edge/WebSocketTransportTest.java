package org.loggregator.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.loggregator.protocol.EnvelopeBatch;

/**
 * The container's session stands in as a proxy that records what it is asked to send: the test is
 * about which bytes go out and from which buffer, not about the container.
 */
class WebSocketTransportTest {
  private final List<ByteBuffer> buffers = new ArrayList<>();
  private final List<byte[]> sent = new ArrayList<>();
  private boolean failNextSend;
  private String subprotocol = "";

  @Test
  void shouldSendEachEnvelopeFromOneReusedDirectBufferThatGrowsForALargeOne() throws Exception {
    WebSocketTransport transport = new WebSocketTransport(session(), "test");
    byte[] small = bytes(211, 1);
    byte[] large = bytes(10_000, 2);
    byte[] other = bytes(50, 3);

    transport.sendNow(small);
    transport.sendNow(other);
    transport.sendNow(large);
    AtomicReference<Throwable> failure = new AtomicReference<>(new AssertionError("not called"));
    transport.send(small, failure::set);

    assertEquals(4, sent.size());
    assertArrayEquals(small, sent.get(0));
    assertArrayEquals(other, sent.get(1));
    assertArrayEquals(large, sent.get(2));
    assertArrayEquals(small, sent.get(3));
    assertNull(failure.get());
    assertTrue(buffers.stream().allMatch(ByteBuffer::isDirect), "Liberty copies heap buffers");
    assertSame(buffers.get(0), buffers.get(1));
    assertTrue(buffers.get(2).capacity() >= 10_000);
    assertSame(buffers.get(2), buffers.get(3));
  }

  @Test
  void shouldHandTheContainersFailureToTheCallback() {
    failNextSend = true;
    WebSocketTransport transport = new WebSocketTransport(session(), "test");
    AtomicReference<Throwable> failure = new AtomicReference<>();

    transport.send(bytes(10, 1), failure::set);

    assertTrue(failure.get() instanceof java.io.IOException, String.valueOf(failure.get()));
  }

  @Test
  void shouldSendABurstAsOneBatchAtFlushWhenTheClientAskedForBatches() throws Exception {
    subprotocol = EnvelopeBatch.SUBPROTOCOL;
    WebSocketTransport transport = new WebSocketTransport(session(), "test");
    List<byte[]> burst = List.of(bytes(211, 1), bytes(300, 2), bytes(5, 3));
    List<Throwable> failures = new ArrayList<>();

    burst.forEach(e -> transport.send(e, failures::add));
    assertTrue(sent.isEmpty(), "nothing is written before the burst ends");
    transport.flush();
    transport.flush();

    assertEquals(Arrays.asList(null, null, null), failures);
    assertEquals(1, sent.size(), "one message for the burst, none for an empty flush");
    assertSameEnvelopes(burst, split(sent.get(0)));
    assertTrue(buffers.get(0).isDirect());
  }

  @Test
  void shouldStartANewBatchWhenOneIsFullAndSendALargeEnvelopeInOneOfItsOwn() throws Exception {
    subprotocol = EnvelopeBatch.SUBPROTOCOL;
    WebSocketTransport transport = new WebSocketTransport(session(), "test");
    List<byte[]> burst = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      burst.add(bytes(211, i));
    }
    burst.add(bytes(40_000, 7));
    burst.add(bytes(211, 8));

    burst.forEach(e -> transport.send(e, failure -> assertNull(failure)));
    transport.flush();

    List<byte[]> received = new ArrayList<>();
    for (byte[] message : sent) {
      List<byte[]> envelopes = split(message);
      assertTrue(
          message.length <= WebSocketTransport.BATCH_BYTES || envelopes.size() == 1,
          "a batch over the limit holds one envelope");
      received.addAll(envelopes);
    }
    assertSameEnvelopes(burst, received);
    assertTrue(sent.size() >= 3, "two full batches at least, then the large one: " + sent.size());
  }

  @Test
  void shouldThrowFromFlushWhenTheContainerFailsToSendTheBatch() {
    subprotocol = EnvelopeBatch.SUBPROTOCOL;
    WebSocketTransport transport = new WebSocketTransport(session(), "test");
    AtomicReference<Throwable> failure = new AtomicReference<>();
    transport.send(bytes(10, 1), failure::set);
    failNextSend = true;

    assertNull(failure.get());
    assertThrows(java.io.IOException.class, transport::flush);
  }

  private static List<byte[]> split(byte[] batch) {
    List<byte[]> envelopes = new ArrayList<>();
    EnvelopeBatch.split(batch, envelopes::add);
    return envelopes;
  }

  private static void assertSameEnvelopes(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.size(), actual.size(), "envelopes");
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "envelope " + i);
    }
  }

  private Session session() {
    RemoteEndpoint.Basic basic =
        (RemoteEndpoint.Basic)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Basic.class},
                (proxy, method, args) -> {
                  if (!method.getName().equals("sendBinary") || args.length != 1) {
                    throw new UnsupportedOperationException(method.getName());
                  }
                  if (failNextSend) {
                    throw new java.io.IOException("Broken pipe");
                  }
                  ByteBuffer buffer = (ByteBuffer) args[0];
                  buffers.add(buffer);
                  byte[] bytes = new byte[buffer.remaining()];
                  buffer.get(bytes);
                  sent.add(bytes);
                  return null;
                });
    return (Session)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Session.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getBasicRemote")) {
                return basic;
              }
              if (method.getName().equals("getNegotiatedSubprotocol")) {
                return subprotocol;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private static byte[] bytes(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + seed);
    }
    return bytes;
  }
}
