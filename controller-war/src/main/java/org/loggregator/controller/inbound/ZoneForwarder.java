package org.loggregator.controller.inbound;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.loggregator.config.DopplerAddress;
import org.loggregator.ingress.EnvelopeHandler;
import org.loggregator.metrics.Counter;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.RendezvousShard;
import org.loggregator.protocol.RoutingFields;

/**
 * Forwards the controller's inbound datagrams to the dopplers of its own zone: each verified
 * envelope, as the same signed datagram that arrived, goes to the doppler that owns its app id in
 * this zone (rendezvous hashing), or to the zone's dopplers in turn when it has no app id.
 * Thread-safe; never blocks: the channel is non-blocking, and a datagram the kernel has no room for
 * is dropped and counted (under the agent forwarder's metric names, {@code DopplerForwarder.*}).
 */
public final class ZoneForwarder implements EnvelopeHandler, AutoCloseable {
  private final DatagramChannel channel;
  private final RendezvousShard<Target> shard;
  private final List<Target> targets;
  private final AtomicLong turn = new AtomicLong();
  private final Counter sent;
  private final Counter sendErrors;
  private final Counter dropped;

  private record Target(DopplerAddress doppler, InetSocketAddress address) {}

  /**
   * @param dopplers the dopplers of this controller's zone
   * @param sent datagrams handed to the kernel
   * @param sendErrors datagrams the kernel refused with an error
   * @param dropped datagrams dropped because the send buffer was full
   */
  public ZoneForwarder(
      List<DopplerAddress> dopplers, Counter sent, Counter sendErrors, Counter dropped)
      throws IOException {
    this.targets =
        dopplers.stream()
            .map(d -> new Target(d, new InetSocketAddress(d.udp().host(), d.udp().port())))
            .toList();
    this.shard = new RendezvousShard<>(targets, t -> t.doppler().shardKey());
    this.channel = DatagramChannel.open();
    channel.configureBlocking(false);
    this.sent = sent;
    this.sendErrors = sendErrors;
    this.dropped = dropped;
  }

  @Override
  public void onEnvelope(byte[] datagram, int offset, int length, RoutingFields fields) {
    Target target =
        fields.hasAppId()
            ? shard.owner(fields.appIdBytes(), fields.appIdOffset(), fields.appIdLength())
            : targets.get((int) Long.remainderUnsigned(turn.getAndIncrement(), targets.size()));
    int start = offset - DatagramSignature.HMAC_LENGTH;
    try {
      int written =
          channel.send(
              ByteBuffer.wrap(datagram, start, length + DatagramSignature.HMAC_LENGTH),
              target.address());
      if (written == 0) {
        dropped.increment();
      } else {
        sent.increment();
      }
    } catch (IOException e) {
      sendErrors.increment();
    }
  }

  /** The doppler of this zone that owns an app. */
  public DopplerAddress ownerOf(String appId) {
    return shard.owner(appId).doppler();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
