package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loggregator.metrics.Counter;
import org.loggregator.metrics.MetricName;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.RoutingFields;
import org.loggregator.protocol.events.Envelope;

/**
 * A drain URL's user info, path and query never show: not in notices, logs, thread names, metric
 * names or tags, nor in the list of admin bindings; everywhere it is {@code scheme://host:port}.
 */
class DrainRedactionTest {
  private static final String APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";
  private static final String URL = "https://us3r:s3cret@logs.example.com:8443/t0ken/in?key=k3y";
  private static final String REDACTED = "https://logs.example.com:8443";
  private static final List<String> SECRETS = List.of("us3r", "s3cret", "t0ken", "k3y", "/in");

  private final List<String> metrics = new CopyOnWriteArrayList<>();
  private final Function<MetricName, Counter> local = MetricName.localCounters();
  private final DrainCounters counters =
      new DrainCounters(
          name -> {
            metrics.add(name.name() + " " + name.tags());
            return local.apply(name);
          },
          Map.of());
  private final List<String> notices = new CopyOnWriteArrayList<>();
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Logger drainLogs = Logger.getLogger("org.loggregator.doppler.drain");
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final AtomicLong clock = new AtomicLong(1);
  private final List<String> threadNames = new CopyOnWriteArrayList<>();
  private final DrainRegistry registry =
      new DrainRegistry(
          new DrainRegistry.Limits(100, Duration.ofMinutes(10), 5, 1000, "loggregator"),
          url -> {
            FakeDrainWriter writer = new FakeDrainWriter();
            writer.connectFailures = 2;
            writer.failure = new IOException("cannot reach " + url.text());
            return writer;
          },
          runnable -> {
            return new Thread(
                () -> {
                  threadNames.add(Thread.currentThread().getName());
                  runnable.run();
                });
          },
          counters,
          (appId, envelope) -> notices.add(text(envelope)),
          "doppler",
          clock::get,
          () -> TestBackoffs.of(Duration.ofMillis(1), Duration.ofMillis(2)));

  DrainRedactionTest() {
    drainLogs.addHandler(handler);
  }

  @AfterEach
  void close() {
    registry.close(5000);
    drainLogs.removeHandler(handler);
  }

  private static String text(byte[] envelope) {
    try {
      return Envelope.parseFrom(envelope).getLogMessage().getMessage().toStringUtf8();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private void offer(String drainUrls) {
    byte[] envelope = DrainRegistryTest.log(APP, "line", drainUrls);
    RoutingFields fields = new RoutingFields();
    new EnvelopeReader().read(envelope, 0, envelope.length, fields);
    registry.offer(envelope, fields);
  }

  @Test
  void shouldShowOnlySchemeHostAndPortWhereverADrainUrlAppears() throws Exception {
    offer(URL + " ftp://us3r:s3cret@files.example.com/t0ken?key=k3y");
    registry.bindAdmin(APP, List.of(URL.replace("8443", "9443")));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (notices.size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    registry.unbindAdmin(APP);
    clock.addAndGet(Duration.ofMinutes(11).toNanos());
    registry.sweep();

    assertTrue(
        notices.contains("Syslog drain " + REDACTED + ": could not deliver. Backing off for 0ms."),
        notices.toString());
    assertTrue(
        notices.stream().anyMatch(n -> n.startsWith("Drain URL ftp://files.example.com has")),
        notices.toString());
    assertTrue(logged.contains("Drain bound for app " + APP + ": " + REDACTED), logged.toString());
    assertTrue(
        logged.stream().anyMatch(l -> l.endsWith("cannot reach " + REDACTED + ".")),
        logged.toString());
    assertTrue(logged.stream().anyMatch(l -> l.startsWith("Drain unbound")), logged.toString());
    assertTrue(threadNames.contains("drain-writer " + REDACTED), threadNames.toString());
    List<String> everything = new ArrayList<>();
    everything.addAll(notices);
    everything.addAll(logged);
    everything.addAll(threadNames);
    everything.addAll(metrics);
    everything.add(registry.adminBindings().toString());
    for (String text : everything) {
      for (String secret : SECRETS) {
        assertFalse(text.contains(secret), secret + " in: " + text);
      }
    }
    assertEquals(DrainUrl.parse(URL).redacted(), DrainUrl.parse(URL).toString());
  }
}
