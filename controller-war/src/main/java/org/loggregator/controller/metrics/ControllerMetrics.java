package org.loggregator.controller.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * The catalogue of every traffic controller metric, each with its description. Every metric carries
 * {@code component=controller} so that the all-in-one server, where both applications share one
 * registry, keeps them apart from the doppler's.
 */
@ApplicationScoped
public class ControllerMetrics {
  static final Tag COMPONENT = new Tag("component", "controller");

  @Inject
  @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
  MetricRegistry registry;

  private Counter slowConsumer;

  /** Registers every metric of the catalogue. */
  public void register() {
    slowConsumer =
        registry.counter(
            Metadata.builder()
                .withName("dopplerProxy.slowConsumer")
                .withDescription(
                    "Envelopes dropped because a client read more slowly than they arrived.")
                .build(),
            COMPONENT,
            new Tag("direction", "egress"));
  }

  public Counter slowConsumer() {
    return slowConsumer;
  }
}
