package org.loggregator.agent.forward;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.loggregator.config.HostPort;
import org.loggregator.membership.Membership;
import org.loggregator.membership.NameResolver;
import org.loggregator.protocol.RendezvousShard;

/**
 * Where the agent sends each envelope: the doppler of its zone that owns the envelope's app id
 * (rendezvous hashing over the zone's doppler addresses, the same shard keys controllers use), or
 * one controller's inbound address for everything. A doppler host given by DNS name stands for
 * every address the name resolves to, resolved again by {@link #refresh()} ({@link Membership});
 * each change makes a new {@link Snapshot} with the next generation. Thread-safe; producers resolve
 * an envelope's destination before it enters the ring, so the sender never parses envelopes.
 *
 * <p>A destination is the owner's index in the snapshot of the moment, with the snapshot's
 * generation in bits 16 to 30. The sender maps a destination of an older generation by the app key
 * the ring carries with it, the same hash, to the owner under the current snapshot: an envelope
 * queued before a change goes to the new owner.
 *
 * <p>Owner lookup is not cached: {@link RendezvousShard#owner(byte[], int, int)} is one FNV pass
 * over the app id and one mix per doppler, allocation-free, which costs about what a cache lookup
 * keyed by the same bytes would.
 */
public final class DopplerRoutes {

  private static final int INDEX_BITS = 16;
  private static final int INDEX_MASK = (1 << INDEX_BITS) - 1;
  private static final int GENERATION_MASK = 0x7FFF;

  private final List<HostPort> configured;
  private final Membership<HostPort> members;
  private final boolean controller;
  private volatile Snapshot snapshot;

  /** The destinations of one moment: addresses (IP literals), their owners, their generation. */
  public static final class Snapshot {
    private final List<HostPort> targets;
    private final RendezvousShard<Integer> shard;
    private final boolean controller;
    private final int generation;

    Snapshot(List<HostPort> targets, boolean controller, int generation) {
      this.targets = List.copyOf(targets);
      this.controller = controller;
      this.generation = generation & GENERATION_MASK;
      List<Integer> indexes = new ArrayList<>();
      for (int i = 0; i < this.targets.size() && i <= INDEX_MASK; i++) {
        indexes.add(i);
      }
      this.shard =
          indexes.isEmpty()
              ? null
              : new RendezvousShard<>(indexes, i -> this.targets.get(i).toString());
    }

    /** How many destinations there are now; indexes run from 0. */
    public int size() {
      return targets.size();
    }

    /** The addresses, as socket addresses (IP literals: nothing is looked up). */
    public InetSocketAddress[] socketAddresses() {
      InetSocketAddress[] addresses = new InetSocketAddress[targets.size()];
      for (int i = 0; i < addresses.length; i++) {
        addresses[i] = new InetSocketAddress(targets.get(i).host(), targets.get(i).port());
      }
      return addresses;
    }

    /**
     * The index in this snapshot of a destination a producer chose, for an envelope of app key
     * {@code appKey}; -1 for "any doppler" (or when no doppler is known).
     */
    public int indexOf(int destination, long appKey) {
      if (destination < 0 || shard == null) {
        return controller && shard != null ? 0 : -1;
      }
      if (destination >>> INDEX_BITS == generation) {
        int index = destination & INDEX_MASK;
        return index < targets.size() ? index : -1;
      }
      if (controller) {
        return 0;
      }
      return appKey == ManyToOneEnvelopeRing.NO_APP ? -1 : shard.ownerOfHash(appKey);
    }

    int destinationOfHash(long appHash, int appIdLength) {
      if (controller) {
        return generation << INDEX_BITS;
      }
      if (appIdLength == 0 || shard == null) {
        return ManyToOneEnvelopeRing.ANY_DESTINATION;
      }
      return generation << INDEX_BITS | shard.ownerOfHash(appHash);
    }
  }

  private DopplerRoutes(List<HostPort> configured, boolean controller, NameResolver resolver) {
    this.configured = List.copyOf(configured);
    this.controller = controller;
    this.members = new Membership<>(configured, hp -> hp, HostPort::at, resolver);
    members.refresh();
    this.snapshot = new Snapshot(targetsNow(), controller, 0);
  }

  /** Routes by app id over the dopplers of the agent's zone, resolved by the system's resolver. */
  public static DopplerRoutes toDopplers(List<HostPort> zoneDopplers) {
    return toDopplers(zoneDopplers, NameResolver.SYSTEM);
  }

  /** Routes by app id over the dopplers of the agent's zone, names resolved by {@code resolver}. */
  public static DopplerRoutes toDopplers(List<HostPort> zoneDopplers, NameResolver resolver) {
    if (zoneDopplers.isEmpty()) {
      throw new IllegalArgumentException("The agent needs at least one doppler.");
    }
    return new DopplerRoutes(zoneDopplers, false, resolver);
  }

  /** Sends everything to one controller's inbound address, which routes it on. */
  public static DopplerRoutes toController(HostPort inbound) {
    return new DopplerRoutes(
        List.of(Objects.requireNonNull(inbound, "controller")), true, NameResolver.SYSTEM);
  }

  private List<HostPort> targetsNow() {
    List<HostPort> now = members.current();
    return controller && now.size() > 1 ? now.subList(0, 1) : now;
  }

  /**
   * Resolves every name again; a change makes a new snapshot.
   *
   * @return whether the destinations changed
   */
  public synchronized boolean refresh() {
    if (!members.refresh()) {
      return false;
    }
    snapshot = new Snapshot(targetsNow(), controller, snapshot.generation + 1);
    return true;
  }

  /** Whether any destination is given by name, so that refreshing can change anything. */
  public boolean hasNames() {
    return members.hasNames();
  }

  /** The names that failed to resolve at the last refresh, one sentence each. */
  public List<String> failures() {
    return members.failures();
  }

  /** The destinations now. */
  public Snapshot snapshot() {
    return snapshot;
  }

  /** Whether everything goes to one controller. */
  public boolean viaController() {
    return controller;
  }

  /** The destinations as configured (names unresolved), for the start-up line. */
  public List<HostPort> configured() {
    return configured;
  }

  /** How many destinations there are now. */
  public int size() {
    return snapshot.size();
  }

  /** The address of a destination chosen now ({@link #destinationOf}). */
  public HostPort target(int destination) {
    return snapshot.targets.get(destination & INDEX_MASK);
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
    return snapshot.destinationOfHash(appHash, appIdLength);
  }

  /** The destination of an envelope with this app id (null or empty: none). */
  public int destinationOf(String appId) {
    if (appId == null || appId.isEmpty()) {
      return destinationOfHash(0, 0);
    }
    byte[] utf8 = appId.getBytes(StandardCharsets.UTF_8);
    return destinationOf(utf8, 0, utf8.length);
  }
}
