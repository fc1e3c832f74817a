package org.loggregator.controller.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.loggregator.controller.config.ControllerConfig;
import org.loggregator.edge.ServerThreads;

/**
 * MicroProfile Health: ready once started with a valid configuration; live while the inbound UDP
 * loop, the periodic tasks and the worker pool keep making progress.
 */
@ApplicationScoped
public class ControllerHealthChecks {
  @Inject Controller controller;
  @Inject ControllerConfig config;

  @Produces
  @Readiness
  HealthCheck ready() {
    return () ->
        HealthCheckResponse.named("controller")
            .status(controller.ready())
            .withData("zone", config.zone())
            .withData("inbound", config.inboundAddress().toString())
            .build();
  }

  @Produces
  @Liveness
  HealthCheck live() {
    return () -> ServerThreads.liveness("controller", controller.alive());
  }
}
