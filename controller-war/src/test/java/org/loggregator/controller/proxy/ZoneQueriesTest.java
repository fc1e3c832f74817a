package org.loggregator.controller.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loggregator.config.DopplerAddress;
import org.loggregator.metrics.Counter;

class ZoneQueriesTest {
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private ZonePools pools;

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
    for (var pool : pools.all()) {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldAnswerFromTheZonesThatHaveADopplerAndNameTheOthersWhenANameNeverResolved()
      throws Exception {
    List<DopplerAddress> configured =
        DopplerAddress.parseList(
            "controller.dopplers",
            "z1 127.0.0.1:3458 http://127.0.0.1:8090/doppler;"
                + " z2 dopplers.z2.bed:3458 http://dopplers.z2.bed:8090/doppler");
    DopplerMembership membership =
        new DopplerMembership(
            configured,
            host -> {
              throw new UnknownHostException(host);
            });
    pools = new ZonePools(membership.directory().zones(), Executors.defaultThreadFactory());
    Counter errors = Counter.local();
    ZoneQueries queries =
        new ZoneQueries(
            new Zones(membership, pools, scheduler, errors), null, Duration.ofSeconds(5), "tc");

    ZoneQueries.Answers<String> answers =
        queries
            .<String>ask("app-1", "recent", (doppler, deadline) -> doppler.zone())
            .get(10, TimeUnit.SECONDS);

    assertEquals(List.of("z1"), answers.perZone());
    assertEquals(List.of("z2"), answers.skippedZones());
    assertEquals(List.of("z2"), answers.unstaffed());
    assertEquals(1, errors.count());
    String notice =
        new String(queries.missingZonesNotice("app-1", answers), StandardCharsets.UTF_8);
    assertTrue(notice.contains("Zone(s) z2 have no doppler now"), () -> "notice: " + notice);
  }
}
