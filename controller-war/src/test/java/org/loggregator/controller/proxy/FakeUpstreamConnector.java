package org.loggregator.controller.proxy;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.loggregator.config.DopplerAddress;
import org.loggregator.config.HostPort;

/**
 * Stands in for the dopplers a {@link ZoneFanIn} connects to: each connect succeeds or throws as
 * the test says, and each open connection can deliver envelopes or be lost. Thread-safe.
 */
final class FakeUpstreamConnector implements UpstreamConnector {

  /** One open connection, as the fan-in holds it. */
  static final class FakeUpstream implements Upstream {
    final DopplerAddress doppler;
    final String path;
    private final Consumer<byte[]> onEnvelope;
    private final Runnable onLost;
    private final AtomicBoolean closed = new AtomicBoolean();

    FakeUpstream(
        DopplerAddress doppler, String path, Consumer<byte[]> onEnvelope, Runnable onLost) {
      this.doppler = doppler;
      this.path = path;
      this.onEnvelope = onEnvelope;
      this.onLost = onLost;
    }

    /** The doppler sends an envelope. */
    void deliver(byte[] envelope) {
      onEnvelope.accept(envelope);
    }

    /** The connection ends without the fan-in closing it. */
    void lose() {
      onLost.run();
    }

    boolean closed() {
      return closed.get();
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> failuresToCome = new ConcurrentHashMap<>();
  private final List<FakeUpstream> opened = new CopyOnWriteArrayList<>();

  static DopplerAddress doppler(String zone, int udpPort) {
    return new DopplerAddress(
        zone,
        new HostPort("127.0.0.1", udpPort),
        URI.create("http://127.0.0.1:" + (udpPort + 1000) + "/doppler"));
  }

  /** The next {@code count} connects to this doppler fail; -1 for all of them. */
  void failNext(DopplerAddress doppler, int count) {
    failuresToCome.put(doppler.shardKey(), new AtomicInteger(count));
  }

  @Override
  public Upstream connect(
      DopplerAddress doppler, String path, Consumer<byte[]> onEnvelope, Runnable onLost)
      throws IOException {
    attempts.computeIfAbsent(doppler.shardKey(), k -> new AtomicInteger()).incrementAndGet();
    AtomicInteger failures = failuresToCome.get(doppler.shardKey());
    if (failures != null && failures.getAndUpdate(n -> n > 0 ? n - 1 : n) != 0) {
      throw new IOException("Connection refused");
    }
    FakeUpstream upstream = new FakeUpstream(doppler, path, onEnvelope, onLost);
    opened.add(upstream);
    return upstream;
  }

  /** How many times the fan-in tried to connect to this doppler. */
  int attempts(DopplerAddress doppler) {
    AtomicInteger count = attempts.get(doppler.shardKey());
    return count == null ? 0 : count.get();
  }

  /** Every connection opened so far, oldest first. */
  List<FakeUpstream> opened() {
    return List.copyOf(opened);
  }

  /** The connections opened to this doppler, oldest first. */
  List<FakeUpstream> openedTo(DopplerAddress doppler) {
    return opened.stream().filter(u -> u.doppler.equals(doppler)).toList();
  }
}
