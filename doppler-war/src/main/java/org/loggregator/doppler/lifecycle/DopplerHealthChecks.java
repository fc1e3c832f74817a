package org.loggregator.doppler.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.loggregator.doppler.config.DopplerConfig;
import org.loggregator.edge.ServerThreads;

/**
 * MicroProfile Health: ready once started with a valid configuration; live while the UDP receive
 * loop, the periodic tasks and the worker pools keep making progress.
 */
@ApplicationScoped
public class DopplerHealthChecks {
  @Inject Doppler doppler;
  @Inject DopplerConfig config;

  @Produces
  @Readiness
  HealthCheck ready() {
    return () ->
        HealthCheckResponse.named("doppler")
            .status(doppler.ready())
            .withData("zone", config.zone())
            .withData("udp", config.udpAddress().toString())
            .build();
  }

  @Produces
  @Liveness
  HealthCheck live() {
    return () -> ServerThreads.liveness("doppler", doppler.alive());
  }
}
