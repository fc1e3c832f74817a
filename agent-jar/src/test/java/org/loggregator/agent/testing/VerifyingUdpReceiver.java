package org.loggregator.agent.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RoutingFields;

/**
 * A stand-in doppler for tests: a UDP socket on 127.0.0.1 that checks each datagram exactly as a
 * doppler does (HMAC with {@link DatagramSignature}, then {@link EnvelopeReader}) and keeps the
 * envelope bytes of the accepted ones. Used from one thread.
 */
public final class VerifyingUdpReceiver implements AutoCloseable {

  private final DatagramChannel channel;
  private final DatagramSignature signature;
  private final EnvelopeReader reader = new EnvelopeReader();
  private final RoutingFields fields = new RoutingFields();
  private final ByteBuffer buffer = ByteBuffer.allocate(70_000);
  private final List<byte[]> accepted = new ArrayList<>();
  private final List<byte[]> datagrams = new ArrayList<>();
  private int badSignatures;
  private int unreadable;

  public VerifyingUdpReceiver(String secret) throws IOException {
    this(secret, "127.0.0.1", 0);
  }

  /** A receiver bound to {@code host:port} (a loopback address; port 0 for any). */
  public VerifyingUdpReceiver(String secret, String host, int port) throws IOException {
    channel = DatagramChannel.open();
    channel.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
    channel.bind(new InetSocketAddress(host, port));
    channel.socket().setSoTimeout(100);
    signature = new DatagramSignature(secret);
  }

  public int port() {
    return channel.socket().getLocalPort();
  }

  /** host:port of the socket, as the agent's --dopplers takes it. */
  public String address() {
    return "127.0.0.1:" + port();
  }

  /**
   * Receives until {@code count} envelopes were accepted or nothing arrived for {@code
   * quietMillis}; returns the envelopes accepted so far (bytes after the HMAC).
   */
  public List<byte[]> receive(int count, long quietMillis) throws IOException {
    long quietSince = System.nanoTime();
    while (accepted.size() < count
        && System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
      byte[] datagram = receiveOne();
      if (datagram != null) {
        quietSince = System.nanoTime();
        check(datagram);
      }
    }
    return List.copyOf(accepted);
  }

  private byte[] receiveOne() throws IOException {
    buffer.clear();
    try {
      java.net.DatagramPacket packet =
          new java.net.DatagramPacket(buffer.array(), buffer.capacity());
      channel.socket().receive(packet);
      return Arrays.copyOf(packet.getData(), packet.getLength());
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  private void check(byte[] datagram) {
    datagrams.add(datagram);
    if (!signature.verify(datagram, 0, datagram.length)) {
      badSignatures++;
      return;
    }
    int length = datagram.length - DatagramSignature.HMAC_LENGTH;
    if (reader.read(datagram, DatagramSignature.HMAC_LENGTH, length, fields) != ReadResult.OK) {
      unreadable++;
      return;
    }
    accepted.add(Arrays.copyOfRange(datagram, DatagramSignature.HMAC_LENGTH, datagram.length));
  }

  /** Every datagram received, as received. */
  public List<byte[]> datagrams() {
    return List.copyOf(datagrams);
  }

  public int badSignatures() {
    return badSignatures;
  }

  public int unreadable() {
    return unreadable;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
