package org.loggregator.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The container's session stands in as a proxy that records what it is asked to send: the test is
 * about which bytes go out and from which buffer, not about the container.
 */
class WebSocketTransportTest {
  private final List<ByteBuffer> buffers = new ArrayList<>();
  private final List<byte[]> sent = new ArrayList<>();
  private boolean failNextSend;

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
