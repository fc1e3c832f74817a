package org.loggregator.controller.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.loggregator.config.DopplerAddress;
import org.loggregator.controller.lifecycle.Controller;
import org.loggregator.protocol.LgrNotice;

/**
 * Asks the owner of an app in every zone at once for what it holds, under one deadline; a zone that
 * cannot answer in time is skipped (and named), so the request still succeeds with the others.
 */
final class ZoneQueries {
  private static final Logger LOG = Logger.getLogger(ZoneQueries.class.getName());

  record Answers(List<List<byte[]>> envelopesPerZone, List<String> skippedZones) {}

  private ZoneQueries() {}

  /**
   * Asks the owner of {@code appId} in every zone at once for {@code endpoint}, and waits for them
   * all together at most the configured zone-query timeout: what arrived by then is the answer, and
   * the zones that did not answer are named.
   */
  static Answers ask(Controller controller, String appId, String endpoint) {
    List<DopplerAddress> owners = controller.directory().ownersOf(appId);
    long deadline = System.nanoTime() + controller.config().zoneQueryTimeout().toNanos();
    List<CompletableFuture<List<byte[]>>> futures = new ArrayList<>();
    for (DopplerAddress owner : owners) {
      futures.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return controller
                      .dopplerHttp()
                      .get(owner, "/apps/" + appId + "/" + endpoint, deadline);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              controller.workers()));
    }
    List<List<byte[]>> answers = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < owners.size(); i++) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        answers.add(futures.get(i).get(left, TimeUnit.NANOSECONDS));
      } catch (ExecutionException | TimeoutException e) {
        futures.get(i).cancel(true);
        skipped.add(owners.get(i).zone());
        controller.metrics().zoneErrors().increment();
        LOG.log(
            Level.FINE,
            "Zone {0} skipped for {1}: {2}",
            new Object[] {owners.get(i).zone(), endpoint, String.valueOf(e.getCause())});
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        skipped.add(owners.get(i).zone());
      }
    }
    return new Answers(answers, skipped);
  }

  /** The notice that tells a client which zones' recent logs are missing, or null if none are. */
  static byte[] missingZonesNotice(Controller controller, String appId, Answers answers) {
    if (answers.skippedZones().isEmpty()) {
      return null;
    }
    return LgrNotice.envelope(
        Controller.ORIGIN,
        appId,
        "Zone(s) "
            + String.join(", ", answers.skippedZones())
            + " did not answer within "
            + controller.config().zoneQueryTimeout().toMillis()
            + " ms: their recent logs are missing here.",
        LgrNotice.nowNanos());
  }
}
