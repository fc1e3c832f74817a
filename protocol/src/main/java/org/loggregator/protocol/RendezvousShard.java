package org.loggregator.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Picks the node that owns an app id by rendezvous (highest-random-weight) hashing; immutable and
 * thread-safe.
 *
 * <p>Every node scores every app id; the highest score wins, ties going to the smallest node key.
 * So adding a node moves only the apps the new node wins (about 1/n of them, all to it), and
 * removing one moves only the apps it owned. The result depends only on the set of node keys, never
 * on the order of the list, and is the same in every JVM: a node key and an app id are hashed as
 * FNV-1a 64 of their UTF-8 bytes passed through the murmur3 64-bit finaliser; the score is the
 * finaliser of (node hash XOR app hash), compared unsigned.
 *
 * @param <T> the node type
 */
public final class RendezvousShard<T> {

  private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private final List<T> nodes;
  private final long[] nodeHashes;

  /**
   * Creates a shard over {@code nodes}, each identified by the stable key {@code keyOf} gives it
   * (such as {@code "10.0.0.5:3458"}).
   *
   * @throws IllegalArgumentException if there are no nodes, or two share a key
   */
  public RendezvousShard(Collection<? extends T> nodes, Function<? super T, String> keyOf) {
    Objects.requireNonNull(nodes, "nodes");
    Objects.requireNonNull(keyOf, "keyOf");
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException(
          "Rendezvous sharding needs at least one node, but the node list is empty.");
    }
    record Keyed<N>(N node, String key) {}
    List<Keyed<T>> keyed = new ArrayList<>(nodes.size());
    for (T node : nodes) {
      String key = Objects.requireNonNull(keyOf.apply(node), () -> "no key for node " + node);
      keyed.add(new Keyed<>(node, key));
    }
    keyed.sort(Comparator.comparing(Keyed::key));
    List<T> sorted = new ArrayList<>(keyed.size());
    nodeHashes = new long[keyed.size()];
    for (int i = 0; i < keyed.size(); i++) {
      if (i > 0 && keyed.get(i).key().equals(keyed.get(i - 1).key())) {
        throw new IllegalArgumentException(
            "Two nodes share the key \"" + keyed.get(i).key() + "\"; node keys must be unique.");
      }
      sorted.add(keyed.get(i).node());
      nodeHashes[i] = hash(keyed.get(i).key());
    }
    this.nodes = List.copyOf(sorted);
  }

  /** The nodes, in key order. */
  public List<T> nodes() {
    return nodes;
  }

  /** The node that owns {@code appId}; allocates nothing. */
  public T owner(String appId) {
    return nodes.get(winner(hash(appId)));
  }

  /**
   * The node that owns the app id held as UTF-8 in {@code utf8[offset, offset + length)}, such as
   * {@link RoutingFields#appIdBytes()}; the same node as {@link #owner(String)} of that text.
   */
  public T owner(byte[] utf8, int offset, int length) {
    return ownerOfHash(hash(utf8, offset, length));
  }

  /** The owner of the app whose id hashes to {@code appHash} ({@link #hash(byte[], int, int)}). */
  public T ownerOfHash(long appHash) {
    return nodes.get(winner(appHash));
  }

  private int winner(long appHash) {
    int best = 0;
    long bestScore = Long.MIN_VALUE;
    for (int i = 0; i < nodeHashes.length; i++) {
      long score = mix(nodeHashes[i] ^ appHash) ^ Long.MIN_VALUE; // unsigned order as signed
      if (i == 0 || score > bestScore) { // strict: ties stay with the smaller key
        best = i;
        bestScore = score;
      }
    }
    return best;
  }

  /**
   * FNV-1a 64 of {@code utf8[offset, offset + length)}, then {@link #mix}: the one hash of an app
   * id (sharding here, the transit numbering's app keys in the agent and the doppler).
   */
  public static long hash(byte[] utf8, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, utf8.length);
    long h = FNV_OFFSET_BASIS;
    for (int i = offset; i < offset + length; i++) {
      h = (h ^ (utf8[i] & 0xFF)) * FNV_PRIME;
    }
    return mix(h);
  }

  /** FNV-1a 64 of the UTF-8 encoding of {@code s} (lone surrogates as '?'), then {@link #mix}. */
  static long hash(CharSequence s) {
    long h = FNV_OFFSET_BASIS;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        h = (h ^ c) * FNV_PRIME;
      } else if (c < 0x800) {
        h = (h ^ (0xC0 | (c >>> 6))) * FNV_PRIME;
        h = (h ^ (0x80 | (c & 0x3F))) * FNV_PRIME;
      } else if (!Character.isSurrogate(c)) {
        h = (h ^ (0xE0 | (c >>> 12))) * FNV_PRIME;
        h = (h ^ (0x80 | ((c >>> 6) & 0x3F))) * FNV_PRIME;
        h = (h ^ (0x80 | (c & 0x3F))) * FNV_PRIME;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        h = (h ^ (0xF0 | (cp >>> 18))) * FNV_PRIME;
        h = (h ^ (0x80 | ((cp >>> 12) & 0x3F))) * FNV_PRIME;
        h = (h ^ (0x80 | ((cp >>> 6) & 0x3F))) * FNV_PRIME;
        h = (h ^ (0x80 | (cp & 0x3F))) * FNV_PRIME;
      } else {
        h = (h ^ '?') * FNV_PRIME; // what String.getBytes(UTF_8) writes for a lone surrogate
      }
    }
    return mix(h);
  }

  /**
   * The murmur3 fmix64 finaliser: a bijection whose every output bit depends on every input bit.
   */
  static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
