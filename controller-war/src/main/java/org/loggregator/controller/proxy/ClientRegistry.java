package org.loggregator.controller.proxy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.loggregator.sink.FirehoseGroup;
import org.loggregator.sink.Subscriber;

/**
 * The controller's live clients: one fan-in per app stream client, and per firehose subscription id
 * one group of local clients sharing one fan-in from every doppler. Thread-safe.
 */
public final class ClientRegistry {
  private final Set<ZoneFanIn> streams = ConcurrentHashMap.newKeySet();
  private final Map<String, SharedFirehose> firehoses = new HashMap<>();

  private record SharedFirehose(FirehoseGroup group, ZoneFanIn fanIn) {}

  /** Tracks an app stream's fan-in until {@link #streamClosed}. */
  public void streamOpened(ZoneFanIn fanIn) {
    streams.add(fanIn);
  }

  public void streamClosed(ZoneFanIn fanIn) {
    streams.remove(fanIn);
    fanIn.close();
  }

  /**
   * Adds a client to a firehose subscription, creating the subscription's fan-in (through {@code
   * connect}, given the group to feed) for its first client.
   */
  public synchronized void joinFirehose(
      String subscriptionId, Subscriber client, Function<FirehoseGroup, ZoneFanIn> connect) {
    SharedFirehose shared = firehoses.get(subscriptionId);
    if (shared == null) {
      FirehoseGroup group = new FirehoseGroup();
      group.join(client);
      firehoses.put(subscriptionId, new SharedFirehose(group, connect.apply(group)));
    } else {
      shared.group().join(client);
    }
  }

  /** Removes a client; the last one of a subscription closes its fan-in. */
  public synchronized void leaveFirehose(String subscriptionId, Subscriber client) {
    SharedFirehose shared = firehoses.get(subscriptionId);
    if (shared != null && shared.group().leave(client)) {
      firehoses.remove(subscriptionId);
      shared.fanIn().close();
    }
  }

  public int streams() {
    return streams.size();
  }

  public synchronized int firehoses() {
    return firehoses.values().stream().mapToInt(f -> f.group().size()).sum();
  }

  /** The dopplers changed: every live fan-in follows the new directory. */
  public void follow(DopplerDirectory directory) {
    for (ZoneFanIn stream : streams) {
      stream.update(directory);
    }
    List<ZoneFanIn> shared;
    synchronized (this) {
      shared = firehoses.values().stream().map(SharedFirehose::fanIn).toList();
    }
    shared.forEach(fanIn -> fanIn.update(directory));
  }

  /** Closes every fan-in, as the controller stops. */
  public synchronized void closeAll() {
    streams.forEach(ZoneFanIn::close);
    streams.clear();
    firehoses.values().forEach(f -> f.fanIn().close());
    firehoses.clear();
  }
}
