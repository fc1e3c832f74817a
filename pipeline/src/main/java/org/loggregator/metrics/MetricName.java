package org.loggregator.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A metric's name, description and tags, as a catalogue declares it. Names follow the original
 * system so existing dashboards read them.
 */
public record MetricName(String name, String description, Map<String, String> tags) {

  public MetricName {
    tags = Map.copyOf(tags);
  }

  /** A name without tags. */
  public static MetricName of(String name, String description) {
    return new MetricName(name, description, Map.of());
  }

  /** The same name and description with one more tag. */
  public MetricName tagged(String key, String value) {
    Map<String, String> all = new TreeMap<>(tags);
    all.put(key, value);
    return new MetricName(name, description, all);
  }

  /** The same name and description with these tags added. */
  public MetricName tagged(Map<String, String> more) {
    Map<String, String> all = new TreeMap<>(tags);
    all.putAll(more);
    return new MetricName(name, description, all);
  }

  /** Creates counters kept in this JVM only: for tests and benchmarks. */
  public static Function<MetricName, Counter> localCounters() {
    return name -> Counter.local();
  }
}
