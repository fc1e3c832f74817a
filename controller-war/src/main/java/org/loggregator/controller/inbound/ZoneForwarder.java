package org.loggregator.controller.inbound;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Optional;
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
 * this zone (rendezvous hashing), or to the zone's dopplers in turn when it has no app id. The
 * dopplers can change ({@link #route}); a datagram goes by the ones of the moment it arrives, and
 * while the zone has none it is dropped and counted. Thread-safe; never blocks: the channel is
 * non-blocking, and a datagram the kernel has no room for is dropped and counted (under the agent
 * forwarder's metric names, {@code DopplerForwarder.*}).
 */
public final class ZoneForwarder implements EnvelopeHandler, AutoCloseable {
  private final DatagramChannel channel;
  private volatile Route route;
  private final AtomicLong turn = new AtomicLong();
  private final Counter sent;
  private final Counter sendErrors;
  private final Counter dropped;

  private record Target(DopplerAddress doppler, InetSocketAddress address) {}

  /** The zone's dopplers of one moment, resolved, and who owns what among them. */
  private record Route(List<Target> targets, RendezvousShard<Target> shard) {
    static Route of(List<DopplerAddress> dopplers) {
      List<Target> targets =
          dopplers.stream()
              .map(d -> new Target(d, new InetSocketAddress(d.udp().host(), d.udp().port())))
              .toList();
      return new Route(
          targets,
          targets.isEmpty() ? null : new RendezvousShard<>(targets, t -> t.doppler().shardKey()));
    }
  }

  /**
   * @param dopplers the dopplers of this controller's zone
   * @param sent datagrams handed to the kernel
   * @param sendErrors datagrams the kernel refused with an error
   * @param dropped datagrams dropped because the send buffer was full
   */
  public ZoneForwarder(
      List<DopplerAddress> dopplers, Counter sent, Counter sendErrors, Counter dropped)
      throws IOException {
    this.route = Route.of(dopplers);
    this.channel = DatagramChannel.open();
    channel.configureBlocking(false);
    this.sent = sent;
    this.sendErrors = sendErrors;
    this.dropped = dropped;
  }

  @Override
  public void onEnvelope(byte[] datagram, int offset, int length, RoutingFields fields) {
    Route now = route;
    if (now.shard() == null) {
      dropped.increment();
      return;
    }
    Target target =
        fields.hasAppId()
            ? now.shard().owner(fields.appIdBytes(), fields.appIdOffset(), fields.appIdLength())
            : now.targets()
                .get((int) Long.remainderUnsigned(turn.getAndIncrement(), now.targets().size()));
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

  /** From now on, routes to {@code dopplers}: the zone's dopplers changed. */
  public void route(List<DopplerAddress> dopplers) {
    route = Route.of(dopplers);
  }

  /** The doppler of this zone that owns an app; empty while the zone has none. */
  public Optional<DopplerAddress> ownerOf(String appId) {
    Route now = route;
    return now.shard() == null ? Optional.empty() : Optional.of(now.shard().owner(appId).doppler());
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
