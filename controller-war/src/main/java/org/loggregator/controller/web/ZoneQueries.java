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

/**
 * Asks the owner of an app in every zone at once for what it holds; a zone that cannot answer is
 * skipped (and named), so the request still succeeds with the others.
 */
final class ZoneQueries {
  private static final Logger LOG = Logger.getLogger(ZoneQueries.class.getName());

  record Answers(List<List<byte[]>> envelopesPerZone, List<String> skippedZones) {}

  private ZoneQueries() {}

  static Answers ask(Controller controller, String appId, String endpoint) {
    List<DopplerAddress> owners = controller.directory().ownersOf(appId);
    List<CompletableFuture<List<byte[]>>> futures = new ArrayList<>();
    for (DopplerAddress owner : owners) {
      futures.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return controller.dopplerHttp().get(owner, "/apps/" + appId + "/" + endpoint);
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
        // Bounded: a doppler's own timeouts end each query sooner, and a query dropped because
        // the controller is stopping must not hold a request thread forever.
        answers.add(futures.get(i).get(15, TimeUnit.SECONDS));
      } catch (ExecutionException | TimeoutException e) {
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
}
