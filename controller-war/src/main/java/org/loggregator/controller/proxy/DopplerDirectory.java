package org.loggregator.controller.proxy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.loggregator.config.DopplerAddress;
import org.loggregator.protocol.RendezvousShard;

/**
 * Every zone's dopplers at one moment and who owns an app in each: the same rendezvous hashing as
 * agents use, so a controller asks exactly the doppler that holds the app's envelopes. A zone can
 * have no doppler for a while (its name does not resolve yet); it owns nothing then. Immutable: a
 * change of membership makes a new directory ({@link DopplerMembership}).
 */
public final class DopplerDirectory {
  private final Map<String, RendezvousShard<DopplerAddress>> zones = new LinkedHashMap<>();
  private final List<DopplerAddress> all;

  /** A directory of the zones of {@code dopplers}, in their order. */
  public DopplerDirectory(List<DopplerAddress> dopplers) {
    this(dopplers.stream().map(DopplerAddress::zone).distinct().toList(), dopplers);
  }

  /**
   * @param zones every configured zone, in order, including those with no doppler now
   * @param dopplers the dopplers of every zone now
   */
  public DopplerDirectory(List<String> zones, List<DopplerAddress> dopplers) {
    this.all = List.copyOf(dopplers);
    for (String zone : zones) {
      List<DopplerAddress> members = new ArrayList<>();
      for (DopplerAddress doppler : dopplers) {
        if (doppler.zone().equals(zone)) {
          members.add(doppler);
        }
      }
      this.zones.put(
          zone,
          members.isEmpty() ? null : new RendezvousShard<>(members, DopplerAddress::shardKey));
    }
  }

  /** The owner of an app in every zone that has a doppler, one per zone. */
  public List<DopplerAddress> ownersOf(String appId) {
    List<DopplerAddress> owners = new ArrayList<>(zones.size());
    for (RendezvousShard<DopplerAddress> shard : zones.values()) {
      if (shard != null) {
        owners.add(shard.owner(appId));
      }
    }
    return owners;
  }

  /** The zones that have no doppler now. */
  public List<String> emptyZones() {
    List<String> empty = new ArrayList<>();
    zones.forEach(
        (zone, shard) -> {
          if (shard == null) {
            empty.add(zone);
          }
        });
    return empty;
  }

  /** Every zone, in the order of the configuration. */
  public Set<String> zones() {
    return Collections.unmodifiableSet(zones.keySet());
  }

  /** Every doppler of every zone. */
  public List<DopplerAddress> all() {
    return all;
  }

  /** The dopplers of one zone. */
  public List<DopplerAddress> of(String zone) {
    return all.stream().filter(d -> d.zone().equals(zone)).toList();
  }
}
