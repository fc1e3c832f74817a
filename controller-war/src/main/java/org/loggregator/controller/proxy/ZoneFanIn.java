package org.loggregator.controller.proxy;

import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.loggregator.config.DopplerAddress;
import org.loggregator.metrics.Counter;
import org.loggregator.retry.Backoff;

/**
 * Merges one endpoint of several dopplers (the owner of an app in every zone, or every doppler for
 * the firehose) into one stream, as envelopes arrive. A doppler that cannot be reached, or whose
 * connection drops, is skipped and retried with backoff, and each failure is told to the client
 * once per backoff step; the others keep flowing. When the dopplers change ({@link #update}), it
 * connects to those it now follows and closes its links to those it no longer does, telling the
 * client of each. Thread-safe.
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
  private final Supplier<DopplerDirectory> directory;
  private Function<DopplerDirectory, List<DopplerAddress>> members;
  private String path;
  private volatile boolean closed;

  private final class Link {
    final DopplerAddress doppler;
    final String path;
    Upstream upstream;
    int failures;
    volatile boolean retired;

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
      if (closed || retired) {
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
        if (closed || retired) {
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
      if (!closed && !retired) {
        failed("dropped the connection");
      }
    }

    private void failed(String what) {
      if (retired) {
        return;
      }
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

    /** Closes the link for good: its doppler is no longer followed. */
    void retire() {
      retired = true;
      close();
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
      Counter zoneErrors,
      Supplier<DopplerDirectory> directory) {
    this.directory = directory;
    this.connector = connector;
    this.sink = sink;
    this.notices = notices;
    this.scheduler = scheduler;
    this.connectExecutors = connectExecutors;
    this.zoneErrors = zoneErrors;
  }

  /**
   * Follows {@code path} of the dopplers {@code members} picks from the directory: starts
   * connecting to those of the current directory in the background, and to those of each new one
   * given to {@link #update}.
   */
  public void follow(Function<DopplerDirectory, List<DopplerAddress>> members, String path) {
    synchronized (links) {
      this.members = members;
      this.path = path;
      apply(directory.get(), false);
    }
  }

  /**
   * The dopplers changed: connects to the ones now followed, closes the links to the ones no longer
   * followed, and tells the client of each.
   */
  public void update(DopplerDirectory fresh) {
    synchronized (links) {
      if (members != null && !closed) {
        apply(fresh, true);
      }
    }
  }

  /** Under the links' lock. */
  private void apply(DopplerDirectory fresh, boolean tell) {
    List<DopplerAddress> wanted = members.apply(fresh);
    for (Iterator<Link> it = links.iterator(); it.hasNext(); ) {
      Link link = it.next();
      if (!wanted.contains(link.doppler)) {
        it.remove();
        link.retire();
        if (tell) {
          notices.accept(
              "Doppler "
                  + link.doppler.udp().host()
                  + " left zone "
                  + link.doppler.zone()
                  + "'s part of this stream (the zone's dopplers changed); lines in flight"
                  + " through it may be lost.");
        }
      }
    }
    for (DopplerAddress doppler : wanted) {
      if (links.stream().noneMatch(l -> l.doppler.equals(doppler))) {
        Link link = new Link(doppler, path);
        links.add(link);
        if (tell) {
          notices.accept(
              "Doppler "
                  + doppler.udp().host()
                  + " joined zone "
                  + doppler.zone()
                  + "'s part of this stream: streaming from it.");
        }
        link.start();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (links) {
      links.forEach(Link::close);
    }
  }
}
