package org.loggregator.controller.proxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RecentLogsQuery;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.events.Envelope;

/** Merges what several zones hold of an app: recent logs by time, container metrics by instance. */
public final class RecentEnvelopes {
  private RecentEnvelopes() {}

  /**
   * All zones' recent logs, sorted by envelope timestamp (stable); unreadable bytes are skipped.
   */
  public static List<byte[]> mergeByTimestamp(List<List<byte[]>> zones) {
    EnvelopeReader reader = new EnvelopeReader();
    RoutingFields fields = new RoutingFields();
    record Stamped(long timestamp, byte[] envelope) {}
    List<Stamped> all = new ArrayList<>();
    for (List<byte[]> zone : zones) {
      for (byte[] envelope : zone) {
        if (reader.read(envelope, 0, envelope.length, fields) == ReadResult.OK) {
          all.add(new Stamped(fields.timestamp(), envelope));
        }
      }
    }
    all.sort(Comparator.comparingLong(Stamped::timestamp));
    return all.stream().map(Stamped::envelope).toList();
  }

  /**
   * What {@code query} keeps of all zones' recent logs: merged by envelope timestamp (stable),
   * those at or after its start time, and the newest {@code limit} over all zones, oldest first.
   * Each zone's doppler applied the same query to its own buffer, so the newest N over all zones
   * are among what the zones sent.
   */
  public static List<byte[]> merge(List<List<byte[]>> zones, RecentLogsQuery query) {
    return query.select(mergeByTimestamp(zones));
  }

  /** The latest ContainerMetric of each instance index over all zones. */
  public static List<byte[]> latestPerInstance(List<List<byte[]>> zones) {
    Map<Integer, Envelope> latest = new HashMap<>();
    Map<Integer, byte[]> bytes = new HashMap<>();
    for (List<byte[]> zone : zones) {
      for (byte[] envelope : zone) {
        try {
          Envelope parsed = Envelope.parseFrom(envelope);
          if (!parsed.hasContainerMetric()) {
            continue; // anything else would pass for instance 0's metric
          }
          int instance = parsed.getContainerMetric().getInstanceIndex();
          Envelope current = latest.get(instance);
          if (current == null || parsed.getTimestamp() > current.getTimestamp()) {
            latest.put(instance, parsed);
            bytes.put(instance, envelope);
          }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          // a doppler only serves envelopes it could read; skip anything else
        }
      }
    }
    return bytes.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(Map.Entry::getValue)
        .toList();
  }
}
