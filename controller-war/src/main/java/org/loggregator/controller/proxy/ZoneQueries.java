package org.loggregator.controller.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.loggregator.config.DopplerAddress;
import org.loggregator.protocol.LgrNotice;

/**
 * Asks the owner of an app in every zone at once, under one deadline; a zone that cannot answer in
 * time is skipped (and named), so the request still succeeds with the others. Thread-safe.
 */
public final class ZoneQueries {
  private static final Logger LOG = Logger.getLogger(ZoneQueries.class.getName());

  /**
   * What the zones answered, by zone in the directory's order, and the zones that did not answer:
   * those asked that failed or were late, and those with no doppler to ask ({@code unstaffed}, also
   * among the skipped).
   */
  public record Answers<T>(
      Map<String, T> byZone, List<String> skippedZones, List<String> unstaffed) {
    /** The answers, one per zone that answered. */
    public List<T> perZone() {
      return new ArrayList<>(byZone.values());
    }
  }

  /** One request to one doppler, which must be answered by the deadline. */
  public interface Request<T> {
    T send(DopplerAddress doppler, long deadlineNanos) throws IOException;
  }

  private final Zones zones;
  private final DopplerHttpClient http;
  private final Duration timeout;
  private final String origin;

  /**
   * @param http asks one doppler
   * @param timeout how long the zones have to answer one query
   * @param origin the origin of the notice naming the zones skipped
   */
  public ZoneQueries(Zones zones, DopplerHttpClient http, Duration timeout, String origin) {
    this.zones = zones;
    this.http = http;
    this.timeout = timeout;
    this.origin = origin;
  }

  /** Asks the owner of {@code appId} in every zone for the envelopes of {@code endpoint}. */
  public CompletableFuture<Answers<List<byte[]>>> ask(String appId, String endpoint) {
    String path = "/apps/" + appId + "/" + endpoint;
    return ask(appId, endpoint, (owner, deadline) -> http.get(owner, path, deadline));
  }

  /**
   * Sends {@code request} ({@code what}, for the log) to the owner of {@code appId} in every zone
   * at once, each on its zone's pool, and completes once all answered or the configured zone-query
   * timeout passed, whichever is first: what arrived by then is the answer, and the zones that did
   * not answer are named. Nothing waits on one pool's thread for another's, so however many queries
   * are made at once, each ends by its deadline; a query whose turn comes after its deadline gives
   * up at once, and a zone that does not answer delays no other zone's answers.
   */
  public <T> CompletableFuture<Answers<T>> ask(String appId, String what, Request<T> request) {
    DopplerDirectory directory = zones.directory();
    List<DopplerAddress> owners = directory.ownersOf(appId);
    List<String> unstaffed = directory.emptyZones();
    long timeoutNanos = timeout.toNanos();
    long deadline = System.nanoTime() + timeoutNanos;
    List<CompletableFuture<T>> futures = new ArrayList<>();
    for (DopplerAddress owner : owners) {
      try {
        futures.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    if (System.nanoTime() - deadline >= 0) {
                      throw new IOException("its turn came after the deadline");
                    }
                    return request.send(owner, deadline);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                },
                zones.pools().of(owner.zone())));
      } catch (RejectedExecutionException e) {
        futures.add(CompletableFuture.failedFuture(e));
      }
    }
    CompletableFuture<Void> all =
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    try {
      ScheduledFuture<?> timer =
          zones.scheduler().schedule(() -> all.complete(null), timeoutNanos, TimeUnit.NANOSECONDS);
      all.whenComplete((done, e) -> timer.cancel(false));
    } catch (RejectedExecutionException e) {
      all.complete(null); // stopping: what has arrived is all there will be
    }
    return all.handle((done, e) -> collect(owners, futures, what, unstaffed));
  }

  private <T> Answers<T> collect(
      List<DopplerAddress> owners,
      List<CompletableFuture<T>> futures,
      String what,
      List<String> unstaffed) {
    Map<String, T> answers = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>(unstaffed);
    unstaffed.forEach(zone -> zones.errors().increment());
    for (int i = 0; i < owners.size(); i++) {
      CompletableFuture<T> future = futures.get(i);
      String zone = owners.get(i).zone();
      if (future.isDone() && !future.isCompletedExceptionally()) {
        answers.put(zone, future.join());
        continue;
      }
      future.cancel(true);
      skipped.add(zone);
      zones.errors().increment();
      if (LOG.isLoggable(Level.FINE)) {
        String why =
            future.isCompletedExceptionally()
                ? future.handle((v, e) -> String.valueOf(e.getCause())).join()
                : "no answer by the deadline";
        LOG.log(Level.FINE, "Zone {0} skipped for {1}: {2}", new Object[] {zone, what, why});
      }
    }
    return new Answers<>(Collections.unmodifiableMap(answers), skipped, unstaffed);
  }

  /** The notice that tells a client which zones' recent logs are missing, or null if none are. */
  public byte[] missingZonesNotice(String appId, Answers<?> answers) {
    if (answers.skippedZones().isEmpty()) {
      return null;
    }
    List<String> late = new ArrayList<>(answers.skippedZones());
    late.removeAll(answers.unstaffed());
    List<String> parts = new ArrayList<>();
    if (!late.isEmpty()) {
      parts.add(
          "Zone(s) "
              + String.join(", ", late)
              + " did not answer within "
              + timeout.toMillis()
              + " ms: their recent logs are missing here.");
    }
    if (!answers.unstaffed().isEmpty()) {
      parts.add(
          "Zone(s) "
              + String.join(", ", answers.unstaffed())
              + " have no doppler now (their doppler names resolve to no address):"
              + " their recent logs are missing here.");
    }
    return LgrNotice.envelope(origin, appId, String.join(" ", parts), LgrNotice.nowNanos());
  }
}
