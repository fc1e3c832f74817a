package org.loggregator.controller.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import org.loggregator.controller.config.ControllerConfig;
import org.loggregator.controller.metrics.ControllerMetrics;

/**
 * Starts the traffic controller when the application starts: resolves its configuration (a bad
 * value fails the application start, naming the key) and registers its metrics.
 */
@ApplicationScoped
public class ControllerStartup {
  private static final Logger LOG = Logger.getLogger(ControllerStartup.class.getName());

  @Inject ControllerConfig config;
  @Inject ControllerMetrics metrics;

  private volatile boolean started;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    metrics.register();
    started = true;
    LOG.info("Controller started: " + config.summary());
  }

  /** True once start-up completed. */
  public boolean started() {
    return started;
  }
}
