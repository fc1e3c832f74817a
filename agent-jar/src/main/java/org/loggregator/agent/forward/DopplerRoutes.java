package org.loggregator.agent.forward;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.loggregator.config.HostPort;
import org.loggregator.protocol.RendezvousShard;

/**
 * Where the agent sends each envelope: the doppler of its zone that owns the envelope's app id
 * (rendezvous hashing over the zone's doppler addresses, the same shard keys controllers use), or
 * one controller's inbound address for everything. Immutable and thread-safe; producers resolve an
 * envelope's destination index before it enters the ring, so the sender never parses envelopes.
 *
 * <p>Owner lookup is not cached: {@link RendezvousShard#owner(byte[], int, int)} is one FNV pass
 * over the app id and one mix per doppler, allocation-free, which costs about what a cache lookup
 * keyed by the same bytes would.
 */
public final class DopplerRoutes {

  private final List<HostPort> targets;
  private final RendezvousShard<Integer> shard;
  private final boolean controller;

  private DopplerRoutes(List<HostPort> targets, boolean controller) {
    this.targets = List.copyOf(targets);
    this.controller = controller;
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      indexes.add(i);
    }
    this.shard = new RendezvousShard<>(indexes, i -> targets.get(i).toString());
  }

  /** Routes by app id over the dopplers of the agent's zone. */
  public static DopplerRoutes toDopplers(List<HostPort> zoneDopplers) {
    if (zoneDopplers.isEmpty()) {
      throw new IllegalArgumentException("The agent needs at least one doppler.");
    }
    return new DopplerRoutes(zoneDopplers, false);
  }

  /** Sends everything to one controller's inbound address, which routes it on. */
  public static DopplerRoutes toController(HostPort inbound) {
    return new DopplerRoutes(List.of(Objects.requireNonNull(inbound, "controller")), true);
  }

  /** Whether everything goes to one controller. */
  public boolean viaController() {
    return controller;
  }

  /** How many destinations there are; indexes run from 0. */
  public int size() {
    return targets.size();
  }

  /** The address of destination {@code index}. */
  public HostPort target(int index) {
    return targets.get(index);
  }

  /** The addresses, resolved now; unresolvable ones stay unresolved. */
  public InetSocketAddress[] resolveAll() {
    InetSocketAddress[] addresses = new InetSocketAddress[targets.size()];
    for (int i = 0; i < addresses.length; i++) {
      addresses[i] = resolve(i);
    }
    return addresses;
  }

  /** Destination {@code index} resolved now (unresolved if the name does not resolve). */
  public InetSocketAddress resolve(int index) {
    HostPort t = targets.get(index);
    return new InetSocketAddress(t.host(), t.port());
  }

  /**
   * The destination of an envelope whose app id is {@code appId[offset, offset + length)} as UTF-8;
   * {@link ManyToOneEnvelopeRing#ANY_DESTINATION} when length is 0 (no app id).
   */
  public int destinationOf(byte[] appId, int offset, int length) {
    return length == 0
        ? destinationOfHash(0, 0)
        : destinationOfHash(RendezvousShard.hash(appId, offset, length), length);
  }

  /**
   * Like {@link #destinationOf(byte[], int, int)}, for an app id of {@code appIdLength} bytes that
   * is already hashed ({@link RendezvousShard#hash(byte[], int, int)}), so that a caller that needs
   * the hash too computes it once.
   */
  public int destinationOfHash(long appHash, int appIdLength) {
    if (controller) {
      return 0;
    }
    if (appIdLength == 0) {
      return ManyToOneEnvelopeRing.ANY_DESTINATION;
    }
    return shard.ownerOfHash(appHash);
  }

  /** The destination of an envelope with this app id (null or empty: none). */
  public int destinationOf(String appId) {
    if (appId == null || appId.isEmpty()) {
      return controller ? 0 : ManyToOneEnvelopeRing.ANY_DESTINATION;
    }
    byte[] utf8 = appId.getBytes(StandardCharsets.UTF_8);
    return destinationOf(utf8, 0, utf8.length);
  }
}
