package org.loggregator.controller.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Asks the owner of an app in every zone at once, under one deadline; a zone that cannot answer in
 * time is skipped (and named), so the request still succeeds with the others.
 */
final class ZoneQueries {
  private static final Logger LOG = Logger.getLogger(ZoneQueries.class.getName());

  /**
   * What the zones answered, by zone in the directory's order, and the zones that did not answer.
   */
  record Answers<T>(Map<String, T> byZone, List<String> skippedZones) {
    /** The answers, one per zone that answered. */
    List<T> perZone() {
      return new ArrayList<>(byZone.values());
    }
  }

  /** One request to one doppler, which must be answered by the deadline. */
  interface Request<T> {
    T send(DopplerAddress doppler, long deadlineNanos) throws IOException;
  }

  private ZoneQueries() {}

  /** Asks the owner of {@code appId} in every zone for the envelopes of {@code endpoint}. */
  static Answers<List<byte[]>> ask(Controller controller, String appId, String endpoint) {
    String path = "/apps/" + appId + "/" + endpoint;
    return ask(
        controller,
        appId,
        endpoint,
        (owner, deadline) -> controller.dopplerHttp().get(owner, path, deadline));
  }

  /**
   * Sends {@code request} ({@code what}, for the log) to the owner of {@code appId} in every zone
   * at once, and waits for them all together at most the configured zone-query timeout: what
   * arrived by then is the answer, and the zones that did not answer are named.
   */
  static <T> Answers<T> ask(Controller controller, String appId, String what, Request<T> request) {
    List<DopplerAddress> owners = controller.directory().ownersOf(appId);
    long deadline = System.nanoTime() + controller.config().zoneQueryTimeout().toNanos();
    List<CompletableFuture<T>> futures = new ArrayList<>();
    for (DopplerAddress owner : owners) {
      futures.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return request.send(owner, deadline);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              controller.workers()));
    }
    Map<String, T> answers = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < owners.size(); i++) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        answers.put(owners.get(i).zone(), futures.get(i).get(left, TimeUnit.NANOSECONDS));
      } catch (ExecutionException | TimeoutException e) {
        futures.get(i).cancel(true);
        skipped.add(owners.get(i).zone());
        controller.metrics().zoneErrors().increment();
        LOG.log(
            Level.FINE,
            "Zone {0} skipped for {1}: {2}",
            new Object[] {owners.get(i).zone(), what, String.valueOf(e.getCause())});
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        skipped.add(owners.get(i).zone());
      }
    }
    return new Answers<>(Collections.unmodifiableMap(answers), skipped);
  }

  /** The notice that tells a client which zones' recent logs are missing, or null if none are. */
  static byte[] missingZonesNotice(Controller controller, String appId, Answers<?> answers) {
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
