package org.loggregator.agent.ingress;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import org.loggregator.agent.forward.DopplerRoutes;
import org.loggregator.agent.forward.ManyToOneEnvelopeRing;
import org.loggregator.agent.forward.TransitNumbering;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.agent.ratelimit.LogRateLimiter;
import org.loggregator.config.HostPort;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.LogEnvelopeWriter;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RendezvousShard;
import org.loggregator.protocol.RoutingFields;

/**
 * Owns the agent's UDP ingress socket, where any dropsonde emitter sends unsigned envelopes, one
 * per datagram. One dedicated platform thread receives into one reused buffer, checks the envelope
 * with {@link EnvelopeReader} (counting what is invalid instead of logging it), applies the rate
 * limit to LogMessages, picks the destination from the app id and copies the bytes into the ring
 * unchanged. It does nothing else, so that it drains the socket as fast as it can: this socket is
 * where an agent loses messages under load, in the kernel, when its receive buffer overflows; so
 * the socket asks for a large {@code SO_RCVBUF} and reports what the kernel granted.
 */
public final class UdpIngressListener implements AutoCloseable {

  private final DatagramChannel channel;
  private final int receiveBufferBytes;
  private final ManyToOneEnvelopeRing ring;
  private final DopplerRoutes routes;
  private final LogRateLimiter limiter;
  private final String origin;
  private final AgentCounters counters;
  private final Thread thread;
  private final EnvelopeReader reader = new EnvelopeReader();
  private final RoutingFields fields = new RoutingFields();
  private volatile boolean closed;

  /**
   * Binds the ingress socket, asking for a receive buffer of {@code requestedReceiveBuffer} bytes
   * (the kernel caps it at {@code net.core.rmem_max}); {@link #start()} starts receiving.
   *
   * @param limiter per-app rate limit of LogMessages; null for none
   * @param origin origin of the notices the rate limit writes
   * @throws IOException if the address cannot be bound
   */
  public UdpIngressListener(
      HostPort address,
      int requestedReceiveBuffer,
      ManyToOneEnvelopeRing ring,
      DopplerRoutes routes,
      LogRateLimiter limiter,
      String origin,
      AgentCounters counters)
      throws IOException {
    InetSocketAddress bindTo = new InetSocketAddress(address.host(), address.port());
    // An IPv4 socket for an IPv4 address (the JDK's default is dual-stack IPv6).
    channel =
        bindTo.getAddress() instanceof Inet4Address
            ? DatagramChannel.open(StandardProtocolFamily.INET)
            : DatagramChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, requestedReceiveBuffer);
      channel.bind(bindTo);
      receiveBufferBytes = channel.getOption(StandardSocketOptions.SO_RCVBUF);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    this.ring = ring;
    this.routes = routes;
    this.limiter = limiter;
    this.origin = origin;
    this.counters = counters;
    this.thread = new Thread(this::run, "agent-udp-ingress");
    this.thread.setDaemon(true);
  }

  /**
   * The receive buffer the kernel granted, in bytes of payload: at most {@code net.core.rmem_max}
   * on Linux (the kernel books twice that for overhead; the JDK reports the usable half).
   */
  public int receiveBufferBytes() {
    return receiveBufferBytes;
  }

  /** The bound address (with the real port when 0 was asked for). */
  public InetSocketAddress localAddress() {
    try {
      return (InetSocketAddress) channel.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("ingress socket closed", e);
    }
  }

  public void start() {
    thread.start();
  }

  /** Closes the socket; the receiving thread ends. */
  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
      thread.join(1_000);
    } catch (IOException e) {
      // closing anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    ByteBuffer datagram = ByteBuffer.allocate(DatagramSignature.MAX_DATAGRAM + 1);
    byte[] bytes = datagram.array();
    while (!closed) {
      datagram.clear();
      try {
        channel.receive(datagram);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        continue; // a transient socket error: the loop must not end
      }
      int length = datagram.position();
      counters.increment(AgentCounter.INGRESS_RECEIVED_MESSAGES);
      counters.add(AgentCounter.INGRESS_RECEIVED_BYTES, length);
      handle(bytes, length);
    }
  }

  /** One datagram: check it, limit it, route it, queue it. */
  void handle(byte[] bytes, int length) {
    if (reader.read(bytes, 0, length, fields) != ReadResult.OK) {
      counters.increment(AgentCounter.INGRESS_UNMARSHAL_ERRORS);
      return;
    }
    if (length > DatagramSignature.MAX_ENVELOPE) {
      counters.increment(AgentCounter.DROPPED_TOO_LARGE);
      return;
    }
    if (limiter != null && fields.eventType() == RoutingFields.LOG_MESSAGE && fields.hasAppId()) {
      LogRateLimiter.Verdict verdict =
          limiter.admit(
              fields.appIdBytes(),
              fields.appIdOffset(),
              fields.appIdLength(),
              System.currentTimeMillis() * 1_000_000L);
      if (verdict != LogRateLimiter.Verdict.ADMIT) {
        counters.increment(AgentCounter.DROPPED_RATE_LIMITED);
        if (verdict == LogRateLimiter.Verdict.DROP_AND_NOTIFY) {
          publishRateNotice();
        }
        return;
      }
    }
    // One hash of the app id serves the route and the transit numbering.
    int idLength = fields.appIdLength();
    long appHash =
        idLength == 0
            ? 0
            : RendezvousShard.hash(fields.appIdBytes(), fields.appIdOffset(), idLength);
    int destination = routes.destinationOfHash(appHash, idLength);
    // The sender numbers an app's log lines; a trailer that came with the envelope is cut off.
    long appKey =
        fields.eventType() == RoutingFields.LOG_MESSAGE
            ? TransitNumbering.appKeyOfHash(appHash, idLength)
            : ManyToOneEnvelopeRing.NO_APP;
    int envelopeLength = fields.transitStart() < 0 ? length : fields.transitStart();
    if (!ring.offer(destination, appKey, bytes, 0, envelopeLength)) {
      counters.increment(AgentCounter.DROPPED_QUEUE_FULL);
    }
  }

  /** Once per app and second at most: allocation here is fine. */
  private void publishRateNotice() {
    String instance =
        fields.sourceInstanceOffset() < 0
            ? null
            : new String(
                fields.buffer(),
                fields.sourceInstanceOffset(),
                fields.sourceInstanceLength(),
                java.nio.charset.StandardCharsets.UTF_8);
    LogEnvelopeWriter writer =
        LogEnvelopeWriter.builder(origin)
            .appId(fields.appId())
            .sourceType("LGR")
            .sourceInstance(instance)
            .build();
    byte[] text = limiter.notice();
    long now = System.currentTimeMillis() * 1_000_000L;
    int destination =
        routes.destinationOf(fields.appIdBytes(), fields.appIdOffset(), fields.appIdLength());
    int at =
        ring.tryClaim(
            destination,
            TransitNumbering.appKey(
                fields.appIdBytes(), fields.appIdOffset(), fields.appIdLength()),
            writer.encodedLength(now, text.length));
    if (at < 0) {
      counters.increment(AgentCounter.DROPPED_QUEUE_FULL);
      return;
    }
    writer.write(ring.buffer(), at, LogEnvelopeWriter.ERR, now, text, 0, text.length);
    ring.commit(at);
    counters.increment(AgentCounter.NOTICES);
  }
}
