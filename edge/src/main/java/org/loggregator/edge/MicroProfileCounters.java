package org.loggregator.edge;

import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.loggregator.metrics.Counter;
import org.loggregator.metrics.MetricName;

/**
 * Creates each catalogue counter in a MicroProfile Metrics registry, with its description, and
 * registers gauges the same way. For use inside a server that provides MicroProfile Metrics.
 */
public final class MicroProfileCounters implements Function<MetricName, Counter> {
  private final MetricRegistry registry;

  public MicroProfileCounters(MetricRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Counter apply(MetricName name) {
    org.eclipse.microprofile.metrics.Counter counter =
        registry.counter(
            Metadata.builder().withName(name.name()).withDescription(name.description()).build(),
            tags(name.tags()));
    return new Counter() {
      @Override
      public void add(long n) {
        counter.inc(n);
      }

      @Override
      public long count() {
        return counter.getCount();
      }
    };
  }

  /** Registers a gauge that reads {@code value} of {@code target} when scraped. */
  public <T> void gauge(MetricName name, T target, java.util.function.ToLongFunction<T> value) {
    registry.gauge(
        Metadata.builder().withName(name.name()).withDescription(name.description()).build(),
        target,
        t -> value.applyAsLong(t),
        tags(name.tags()));
  }

  /** MicroProfile tags for catalogue tags. */
  public static Tag[] tags(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toArray(Tag[]::new);
  }
}
