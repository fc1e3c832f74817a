package org.loggregator.controller.proxy;

import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.loggregator.config.DopplerAddress;
import org.loggregator.metrics.Counter;
import org.loggregator.retry.Backoff;

/**
 * Merges one endpoint of several dopplers (the owner of an app in every zone, or every doppler for
 * the firehose) into one stream, as envelopes arrive. A doppler that cannot be reached, or whose
 * connection drops, is skipped and retried with backoff, and each failure is told to the client
 * once per backoff step; the others keep flowing. Thread-safe.
 */
public final class ZoneFanIn implements AutoCloseable {
  /** Reconnect delays with ±20 % jitter: 1 s, 2 s, 4 s … capped at 30 s before jitter. */
  private static final Backoff RECONNECTS =
      new Backoff(
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          Backoff.Jitter.plusOrMinus(0.2),
          ChronoUnit.MILLIS,
          () -> ThreadLocalRandom.current().nextDouble());

  private final List<Link> links = new ArrayList<>();
  private final UpstreamConnector connector;
  private final Consumer<byte[]> sink;
  private final Consumer<String> notices;
  private final ScheduledExecutorService scheduler;
  private final Function<String, Executor> connectExecutors;
  private final Counter zoneErrors;
  private volatile boolean closed;

  private final class Link {
    final DopplerAddress doppler;
    final String path;
    Upstream upstream;
    int failures;

    Link(DopplerAddress doppler, String path) {
      this.doppler = doppler;
      this.path = path;
    }

    /** Connects on the pool of the doppler's zone; a pool with no room counts as a failure. */
    void start() {
      try {
        connectExecutors.apply(doppler.zone()).execute(this::connect);
      } catch (RejectedExecutionException busy) {
        if (!closed) {
          failed("has too many connections waiting");
        }
      }
    }

    void connect() {
      if (closed) {
        return;
      }
      Upstream opened;
      try {
        opened = connector.connect(doppler, path, sink, this::lost);
      } catch (IOException | RuntimeException e) {
        failed(
            "cannot be reached: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        return;
      }
      boolean recovered;
      synchronized (this) {
        if (closed) {
          opened.close();
          return;
        }
        upstream = opened;
        recovered = failures > 0;
        failures = 0;
      }
      if (recovered) {
        notices.accept("Zone " + doppler.zone() + " is back: streaming from it again.");
      }
    }

    void lost() {
      synchronized (this) {
        upstream = null;
      }
      if (!closed) {
        failed("dropped the connection");
      }
    }

    private void failed(String what) {
      zoneErrors.increment();
      Duration delay;
      synchronized (this) {
        failures++;
        delay = RECONNECTS.delay(failures - 1);
      }
      notices.accept(
          "Zone "
              + doppler.zone()
              + " (doppler "
              + doppler.udp().host()
              + ") "
              + what
              + ". Retrying in "
              + Math.max(1, Math.round(delay.toMillis() / 1000.0))
              + " s; other zones keep streaming.");
      try {
        scheduler.schedule(this::start, delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RuntimeException rejected) {
        // stopping
      }
    }

    synchronized void close() {
      if (upstream != null) {
        upstream.close();
        upstream = null;
      }
    }
  }

  /**
   * @param sink receives every envelope from every doppler
   * @param notices receives one sentence per failure or recovery, for the client's stream
   * @param connectExecutors the threads that connect to the dopplers of a zone, by zone
   * @param zoneErrors counts failed or lost doppler connections
   */
  public ZoneFanIn(
      UpstreamConnector connector,
      Consumer<byte[]> sink,
      Consumer<String> notices,
      ScheduledExecutorService scheduler,
      Function<String, Executor> connectExecutors,
      Counter zoneErrors) {
    this.connector = connector;
    this.sink = sink;
    this.notices = notices;
    this.scheduler = scheduler;
    this.connectExecutors = connectExecutors;
    this.zoneErrors = zoneErrors;
  }

  /** Adds a doppler endpoint and starts connecting to it in the background. */
  public void add(DopplerAddress doppler, String path) {
    Link link = new Link(doppler, path);
    synchronized (links) {
      links.add(link);
    }
    link.start();
  }

  @Override
  public void close() {
    closed = true;
    synchronized (links) {
      links.forEach(Link::close);
    }
  }
}
