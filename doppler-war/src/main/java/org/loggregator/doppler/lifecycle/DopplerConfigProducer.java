package org.loggregator.doppler.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.config.Settings;
import org.loggregator.doppler.config.DopplerConfig;

/**
 * Resolves the {@link DopplerConfig} once, from server.xml variables through MicroProfile Config.
 */
@ApplicationScoped
public class DopplerConfigProducer {
  private static final Logger LOG = Logger.getLogger(DopplerConfigProducer.class.getName());

  @Produces
  @Singleton
  DopplerConfig dopplerConfig() {
    Config config = ConfigProvider.getConfig(DopplerConfigProducer.class.getClassLoader());
    try {
      return DopplerConfig.from(new Settings(key -> config.getOptionalValue(key, String.class)));
    } catch (InvalidSettingException e) {
      LOG.log(Level.SEVERE, "Doppler cannot start: {0}", e.getMessage());
      throw e;
    }
  }
}
