package org.loggregator.ingress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.loggregator.config.HostPort;
import org.loggregator.liveness.Liveness;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.SharedSecrets;

/**
 * Owns the UDP socket(s) that signed envelopes arrive on; each receiver thread reads its own socket
 * into one reused buffer, verifies the HMAC, reads the routing fields and hands the envelope to an
 * {@link EnvelopeHandler}. Invalid datagrams are counted by reason, never logged one by one, and
 * never stop the loop.
 *
 * <p>With several receiver threads, each has its own socket bound to the same address with {@code
 * SO_REUSEPORT}; the kernel hashes each sender to one socket, so the envelopes of one sender stay
 * in order.
 */
public final class UdpEnvelopeListener implements AutoCloseable, Liveness.Check {
  /** How long one datagram may keep a receive thread before the listener counts as stuck. */
  static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** The sockets bound to one address, and the smallest receive buffer the kernel granted them. */
  private record Sockets(
      List<DatagramChannel> channels,
      InetSocketAddress address,
      int askedReceiveBuffer,
      int grantedReceiveBuffer) {}

  private final Sockets sockets;
  private final List<DatagramChannel> channels;
  private final List<Thread> threads = new ArrayList<>();
  private final ListenerCounters counters;
  private final EnvelopeHandler handler;
  private final SharedSecrets secrets;

  /** Per receive thread: when it started handling its current datagram, 0 while it waits. */
  private final AtomicLongArray busySince;

  private volatile Throwable death;
  private volatile boolean closed;

  private UdpEnvelopeListener(
      Sockets sockets, ListenerCounters counters, EnvelopeHandler handler, SharedSecrets secrets) {
    this.sockets = sockets;
    this.channels = sockets.channels();
    this.counters = counters;
    this.handler = handler;
    this.secrets = secrets;
    this.busySince = new AtomicLongArray(channels.size());
  }

  /**
   * Binds the socket(s) and starts one receiver thread per socket from {@code threadFactory}.
   *
   * @param address where to bind; port 0 picks a free port (see {@link #localAddress()})
   * @param receiveBufferBytes receive buffer to ask the kernel for; it may grant less
   * @param receiverThreads how many sockets and threads
   * @throws IOException if the address cannot be bound, with the address in the message
   */
  public static UdpEnvelopeListener start(
      HostPort address,
      int receiveBufferBytes,
      int receiverThreads,
      SharedSecrets secrets,
      ListenerCounters counters,
      EnvelopeHandler handler,
      ThreadFactory threadFactory)
      throws IOException {
    Sockets sockets = bind(address, receiveBufferBytes, receiverThreads);
    UdpEnvelopeListener listener = new UdpEnvelopeListener(sockets, counters, handler, secrets);
    List<DatagramChannel> channels = sockets.channels();
    InetSocketAddress bound = sockets.address();
    for (int i = 0; i < channels.size(); i++) {
      DatagramChannel channel = channels.get(i);
      int index = i;
      Thread thread = threadFactory.newThread(() -> listener.receiveLoop(channel, index));
      thread.setName("udp-listener-" + bound.getPort() + "-" + i);
      listener.threads.add(thread);
    }
    listener.threads.forEach(Thread::start);
    return listener;
  }

  private static Sockets bind(HostPort address, int receiveBufferBytes, int receiverThreads)
      throws IOException {
    List<DatagramChannel> channels = new ArrayList<>();
    InetSocketAddress bound = null;
    int granted = Integer.MAX_VALUE;
    try {
      InetSocketAddress target = new InetSocketAddress(address.host(), address.port());
      for (int i = 0; i < receiverThreads; i++) {
        DatagramChannel channel =
            DatagramChannel.open(
                target.getAddress() instanceof java.net.Inet6Address
                    ? StandardProtocolFamily.INET6
                    : StandardProtocolFamily.INET);
        channels.add(channel);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
        if (receiverThreads > 1) {
          channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
        channel.bind(bound == null ? target : bound);
        if (bound == null) {
          bound = (InetSocketAddress) channel.getLocalAddress();
        }
        granted = Math.min(granted, channel.getOption(StandardSocketOptions.SO_RCVBUF));
      }
    } catch (IOException | RuntimeException e) {
      for (DatagramChannel channel : channels) {
        channel.close();
      }
      throw new IOException("Cannot listen for UDP on " + address + ": " + e.getMessage(), e);
    }
    return new Sockets(channels, bound, receiveBufferBytes, granted);
  }

  /**
   * Receives until closed. Survives whatever a datagram or the handler throws, counting it, but a
   * {@link VirtualMachineError}, which ends the loop and is reported by {@link #problem}.
   */
  private void receiveLoop(DatagramChannel channel, int index) {
    ByteBuffer buffer = ByteBuffer.allocate(DatagramSignature.MAX_DATAGRAM + 1);
    byte[] bytes = buffer.array();
    List<DatagramSignature> signatures = new ArrayList<>();
    for (byte[] secret : secrets.all()) {
      signatures.add(new DatagramSignature(secret));
    }
    EnvelopeReader reader = new EnvelopeReader();
    RoutingFields fields = new RoutingFields();
    while (!closed) {
      buffer.clear();
      try {
        if (channel.receive(buffer) == null) {
          continue;
        }
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        counters.receiveErrors.increment();
        continue;
      }
      busySince.lazySet(index, System.nanoTime());
      try {
        handle(bytes, buffer.position(), signatures, reader, fields);
      } catch (VirtualMachineError e) {
        death = e;
        throw e;
      } catch (Throwable e) { // NOPMD: one bad datagram or handler bug must not stop the loop
        counters.handlerErrors.increment();
        counters.droppedIngress.increment();
      } finally {
        busySince.lazySet(index, 0);
      }
    }
  }

  private void handle(
      byte[] bytes,
      int length,
      List<DatagramSignature> signatures,
      EnvelopeReader reader,
      RoutingFields fields) {
    counters.received.increment();
    counters.receivedBytes.add(length);
    if (length > DatagramSignature.MAX_DATAGRAM) {
      counters.oversized.increment();
      counters.droppedIngress.increment();
    } else if (length < DatagramSignature.HMAC_LENGTH) {
      counters.shortDatagrams.increment();
      counters.droppedIngress.increment();
    } else if (!verifies(signatures, bytes, length)) {
      counters.badSignatures.increment();
      counters.droppedIngress.increment();
    } else {
      int offset = DatagramSignature.HMAC_LENGTH;
      int envelopeLength = length - offset;
      ReadResult result = reader.read(bytes, offset, envelopeLength, fields);
      if (result != ReadResult.OK) {
        counters.unmarshalError(result);
      } else {
        handler.onEnvelope(bytes, offset, envelopeLength, fields);
      }
    }
  }

  /**
   * Null while every receive thread runs and none has spent more than ten seconds on one datagram;
   * else what is wrong. Nothing is wrong once the listener is closed.
   */
  @Override
  public String problem(long nowNanos) {
    if (closed) {
      return null;
    }
    Throwable died = death;
    for (int i = 0; i < threads.size(); i++) {
      if (!threads.get(i).isAlive()) {
        return "the UDP listener on "
            + sockets.address()
            + " lost a receive thread"
            + (died == null ? "" : ": " + died);
      }
      long since = busySince.get(i);
      if (since != 0 && nowNanos - since > STUCK_NANOS) {
        return "the UDP listener on "
            + sockets.address()
            + " has been handling one datagram for "
            + (nowNanos - since) / 1_000_000_000L
            + " s";
      }
    }
    return null;
  }

  /** Whether any of the secrets signed the datagram: the signing one first, rarely another. */
  private static boolean verifies(List<DatagramSignature> signatures, byte[] bytes, int length) {
    for (int i = 0; i < signatures.size(); i++) {
      if (signatures.get(i).verify(bytes, 0, length)) {
        return true;
      }
    }
    return false;
  }

  /** The address actually bound (the port chosen when 0 was asked for). */
  public InetSocketAddress localAddress() {
    return sockets.address();
  }

  /** The smallest receive buffer the kernel granted any of the sockets. */
  public int grantedReceiveBuffer() {
    return sockets.grantedReceiveBuffer();
  }

  /** Where it listens and with what receive buffer, for the start-up log. */
  public String describe() {
    return "listening on "
        + sockets.address()
        + " with a receive buffer of "
        + sockets.grantedReceiveBuffer()
        + " bytes (asked for "
        + sockets.askedReceiveBuffer()
        + ")";
  }

  /** How many receiver threads are still running. */
  public int runningThreads() {
    return (int) threads.stream().filter(Thread::isAlive).count();
  }

  /** Closes the sockets and waits up to five seconds for every receiver thread to end. */
  @Override
  public void close() {
    closed = true;
    for (DatagramChannel channel : channels) {
      try {
        channel.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (Thread thread : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        try {
          thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
