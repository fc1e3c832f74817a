package org.loggregator.doppler.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import org.loggregator.doppler.config.DopplerConfig;
import org.loggregator.doppler.metrics.DopplerMetrics;

/**
 * Starts the doppler when the application starts: resolves its configuration (a bad value fails the
 * application start, naming the key) and registers its metrics.
 */
@ApplicationScoped
public class DopplerStartup {
  private static final Logger LOG = Logger.getLogger(DopplerStartup.class.getName());

  @Inject DopplerConfig config;
  @Inject DopplerMetrics metrics;

  private volatile boolean started;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    metrics.register();
    started = true;
    LOG.info("Doppler started: " + config.summary());
  }

  /** True once start-up completed. */
  public boolean started() {
    return started;
  }
}
