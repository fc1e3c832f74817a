package org.loggregator.controller.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.config.Settings;
import org.loggregator.controller.config.ControllerConfig;

/**
 * Resolves the {@link ControllerConfig} once, from server.xml variables through MicroProfile
 * Config.
 */
@ApplicationScoped
public class ControllerConfigProducer {
  private static final Logger LOG = Logger.getLogger(ControllerConfigProducer.class.getName());

  @Produces
  @Singleton
  ControllerConfig controllerConfig() {
    Config config = ConfigProvider.getConfig(ControllerConfigProducer.class.getClassLoader());
    try {
      return ControllerConfig.from(new Settings(key -> config.getOptionalValue(key, String.class)));
    } catch (InvalidSettingException e) {
      LOG.log(Level.SEVERE, "Controller cannot start: {0}", e.getMessage());
      throw e;
    }
  }
}
