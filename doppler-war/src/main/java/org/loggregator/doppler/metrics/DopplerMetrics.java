package org.loggregator.doppler.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * The catalogue of every doppler metric, each with its description. Names follow the original
 * system so that existing dashboards read them; every metric carries {@code component=doppler} so
 * that the all-in-one server, where both applications share one registry, keeps them apart.
 */
@ApplicationScoped
public class DopplerMetrics {
  static final Tag COMPONENT = new Tag("component", "doppler");

  @Inject
  @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
  MetricRegistry registry;

  private Counter receivedMessages;
  private Counter receivedBytes;

  /** Registers every metric of the catalogue. */
  public void register() {
    receivedMessages =
        counter(
            "dropsondeListener.receivedMessageCount",
            "Datagrams received on the doppler's UDP listener, valid or not.");
    receivedBytes =
        counter(
            "dropsondeListener.receivedByteCount",
            "Bytes received on the doppler's UDP listener, valid or not.");
  }

  private Counter counter(String name, String description, Tag... tags) {
    Tag[] all = new Tag[tags.length + 1];
    all[0] = COMPONENT;
    System.arraycopy(tags, 0, all, 1, tags.length);
    return registry.counter(
        Metadata.builder().withName(name).withDescription(description).build(), all);
  }

  public Counter receivedMessages() {
    return receivedMessages;
  }

  public Counter receivedBytes() {
    return receivedBytes;
  }
}
