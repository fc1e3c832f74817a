package org.loggregator.bench.doppler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.loggregator.doppler.routing.EnvelopeRouter;
import org.loggregator.metrics.MetricName;
import org.loggregator.sink.ManyToOneDropOldestQueue;
import org.loggregator.sink.SinkCounters;
import org.loggregator.sink.Subscriber;

/**
 * {@value #SUBSCRIBERS} subscribers of a router over {@link CountingTransport}s, each subscribed to
 * every one of the {@value LogDatagrams#APPS} apps, so that every envelope is offered to all of
 * them.
 */
final class CountingSubscribers {
  static final int SUBSCRIBERS = 10;
  static final int SUBSCRIBER_QUEUE = ManyToOneDropOldestQueue.DEFAULT_CAPACITY;

  final EnvelopeRouter router;
  final SinkCounters counters = new SinkCounters(MetricName.localCounters(), Map.of());
  final List<Subscriber> subscribers = new ArrayList<>();
  final List<CountingTransport> transports = new ArrayList<>();
  private long writerTasks; // exact with one benchmark thread, the only caller of execute

  CountingSubscribers(EnvelopeRouter router, Supplier<Executor> writers) {
    this(router, writers, 0);
  }

  CountingSubscribers(EnvelopeRouter router, Supplier<Executor> writers, long lingerNanos) {
    this.router = router;
    for (int i = 0; i < SUBSCRIBERS; i++) {
      Executor writer = writers.get();
      Executor counted =
          task -> {
            writerTasks++;
            writer.execute(task);
          };
      CountingTransport transport = new CountingTransport("bench subscriber " + i);
      Subscriber subscriber =
          new Subscriber(
              SUBSCRIBER_QUEUE,
              ManyToOneDropOldestQueue.UNLIMITED_BYTES,
              transport,
              counted,
              counters,
              null,
              "bench",
              lingerNanos);
      for (int app = 0; app < LogDatagrams.APPS; app++) {
        router.subscribe(LogDatagrams.appId(app), subscriber);
      }
      subscribers.add(subscriber);
      transports.add(transport);
    }
  }

  /** Call once the writers have stopped: the transports' counts are plain fields. */
  void closeAndReport() {
    for (Subscriber subscriber : subscribers) {
      subscriber.close(1001, "Benchmark over.");
    }
    long sent = 0;
    long flushes = 0;
    for (CountingTransport transport : transports) {
      sent += transport.sent();
      flushes += transport.flushes();
    }
    long notices = counters.notices();
    long dropped = counters.droppedEgress();
    long offered = sent - notices + dropped;
    System.out.printf(
        "%n[subscribers] %d: offered %d, sent %d (%.1f %%), dropped %d, notices %d,"
            + " writer tasks %.3f and flushes %.3f per envelope offered;"
            + " apps %d, envelopes in rings %d%n",
        subscribers.size(),
        offered,
        sent - notices,
        100.0 * (sent - notices) / Math.max(1, offered),
        dropped,
        notices,
        (double) writerTasks / Math.max(1, offered),
        (double) flushes / Math.max(1, offered),
        router.appCount(),
        router.recentEnvelopes());
  }
}
