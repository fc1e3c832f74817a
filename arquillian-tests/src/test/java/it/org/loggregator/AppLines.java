package it.org.loggregator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.loggregator.protocol.TestEnvelopes;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

/**
 * One app's log lines and container metrics, sent to a doppler as an agent sends them: signed
 * datagrams, each line stamped with a time later than the one before.
 */
final class AppLines implements AutoCloseable {
  private final DopplerClient udp;
  private final String appId;
  private final AtomicLong lastNanos = new AtomicLong();

  AppLines(int udpPort, String appId) {
    this.udp = new DopplerClient(udpPort);
    this.appId = appId;
  }

  private long now() {
    long wall = System.currentTimeMillis() * 1_000_000L;
    return lastNanos.updateAndGet(last -> Math.max(last + 1, wall));
  }

  /** A line of the app's stdout from APP/0. */
  void out(String text) {
    log(text, false, "APP", "0");
  }

  /** A line of the app's stderr from APP/0. */
  void err(String text) {
    log(text, true, "APP", "0");
  }

  void log(String text, boolean err, String sourceType, String instance) {
    long t = now();
    Envelope.Builder envelope = TestEnvelopes.log(appId, text, t).setOrigin("viewer-it");
    envelope
        .getLogMessageBuilder()
        .setMessageType(err ? LogMessage.MessageType.ERR : LogMessage.MessageType.OUT)
        .setSourceType(sourceType)
        .setSourceInstance(instance);
    udp.sendSigned(TestEnvelopes.bytes(envelope));
  }

  /** The latest usage of one instance. */
  void metric(int instance, double cpu, long memory, long memoryQuota, long disk) {
    Envelope.Builder envelope =
        TestEnvelopes.containerMetric(appId, instance, cpu, memory, disk).setTimestamp(now());
    envelope
        .getContainerMetricBuilder()
        .setMemoryBytesQuota(memoryQuota)
        .setDiskBytesQuota(1L << 30);
    udp.sendSigned(TestEnvelopes.bytes(envelope));
  }

  /**
   * Sends {@code prefix 1}, {@code prefix 2}, … on stdout, evenly paced at {@code perSecond}, until
   * {@code duration} has passed or {@code stop} says so; returns how many it sent.
   */
  long pace(String prefix, int perSecond, Duration duration, BooleanSupplier stop) {
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long sent = 0;
    while (System.nanoTime() < end && !stop.getAsBoolean()) {
      long due = (System.nanoTime() - start) * perSecond / 1_000_000_000L;
      while (sent < due) {
        out(prefix + " " + ++sent);
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return sent;
  }

  @Override
  public void close() {
    udp.close();
  }
}
