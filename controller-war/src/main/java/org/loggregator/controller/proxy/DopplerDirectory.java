package org.loggregator.controller.proxy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.loggregator.config.DopplerAddress;
import org.loggregator.protocol.RendezvousShard;

/**
 * Every zone's dopplers and who owns an app in each: the same rendezvous hashing as agents use, so
 * a controller asks exactly the doppler that holds the app's envelopes. Immutable.
 */
public final class DopplerDirectory {
  private final Map<String, RendezvousShard<DopplerAddress>> zones = new LinkedHashMap<>();
  private final List<DopplerAddress> all;

  public DopplerDirectory(List<DopplerAddress> dopplers) {
    this.all = List.copyOf(dopplers);
    Map<String, List<DopplerAddress>> byZone = new LinkedHashMap<>();
    for (DopplerAddress doppler : dopplers) {
      byZone.computeIfAbsent(doppler.zone(), z -> new java.util.ArrayList<>()).add(doppler);
    }
    byZone.forEach(
        (zone, list) -> zones.put(zone, new RendezvousShard<>(list, DopplerAddress::shardKey)));
  }

  /** The owner of an app in every zone, one per zone. */
  public List<DopplerAddress> ownersOf(String appId) {
    return zones.values().stream().map(shard -> shard.owner(appId)).toList();
  }

  /** Every zone, in the order of the configuration. */
  public java.util.Set<String> zones() {
    return java.util.Collections.unmodifiableSet(zones.keySet());
  }

  /** Every doppler of every zone. */
  public List<DopplerAddress> all() {
    return all;
  }
}
