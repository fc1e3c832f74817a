package org.loggregator.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.loggregator.config.HostPort;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.config.Settings;

class ControllerConfigTest {
  private static final String SECRET = "loggregatorEndPointSharedSecret";

  private static ControllerConfig configOf(Map<String, String> values) {
    return ControllerConfig.from(new Settings(key -> Optional.ofNullable(values.get(key))));
  }

  @Test
  void shouldUseTheProtocolDefaultsWhenOnlyTheSecretIsSet() {
    ControllerConfig config = configOf(Map.of(ControllerConfig.SHARED_SECRET, SECRET));

    assertEquals(new HostPort("127.0.0.1", 3456), config.inboundAddress());
    assertEquals(List.of("z1"), config.zones());
    assertEquals(1, config.dopplersOf("z1").size());
  }

  @Test
  void shouldGroupDopplersByZoneWhenSeveralZonesAreListed() {
    ControllerConfig config =
        configOf(
            Map.of(
                ControllerConfig.SHARED_SECRET,
                SECRET,
                ControllerConfig.ZONE,
                "z2",
                ControllerConfig.DOPPLERS,
                "z1 127.0.0.1:3458 http://127.0.0.1:8090/doppler;"
                    + " z2 127.0.0.1:4458 http://127.0.0.1:9090/doppler;"
                    + " z2 127.0.0.1:4459 http://127.0.0.1:9091/doppler"));

    assertEquals(List.of("z1", "z2"), config.zones());
    assertEquals(2, config.dopplersOf("z2").size());
  }

  @Test
  void shouldRefuseToStartWhenNoDopplerServesItsOwnZone() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () ->
                configOf(
                    Map.of(
                        ControllerConfig.SHARED_SECRET,
                        SECRET,
                        ControllerConfig.ZONE,
                        "z3",
                        ControllerConfig.DOPPLERS,
                        "z1 127.0.0.1:3458 http://127.0.0.1:8090/doppler")));

    assertEquals("controller.dopplers", e.key());
  }
}
