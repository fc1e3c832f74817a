package org.loggregator.bench.doppler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.loggregator.bench.StandardRun;
import org.loggregator.doppler.routing.EnvelopeRouter;
import org.loggregator.doppler.routing.RouterCounters;
import org.loggregator.metrics.MetricName;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RoutingFields;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The doppler's receive path, one signed datagram per operation, so ops/s is envelopes/s: the steps
 * of {@code UdpEnvelopeListener}'s receive loop (verify the HMAC, read the routing fields) and then
 * {@link EnvelopeRouter#onEnvelope} (copy, recent-log ring, stream subscribers), without the
 * socket.
 *
 * <p>The datagrams are built once: 211 bytes each (a 179-byte LogMessage envelope after its 32-byte
 * HMAC-SHA256), {@value LogDatagrams#DATAGRAMS} of them over {@value LogDatagrams#APPS} app ids,
 * taken in turn ({@link LogDatagrams}). With subscribers, {@value CountingSubscribers#SUBSCRIBERS}
 * stream subscribers each watch every app (all apps are hot), so every envelope fans out to {@value
 * CountingSubscribers#SUBSCRIBERS} ({@link CountingSubscribers}). Neither firehose nor drain is set
 * up.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DopplerPathBenchmark extends StandardRun {
  static final int RECENT_LOGS = 100;
  static final int MAX_APPS = 10_000;
  static final String SHARED_SECRET = org.loggregator.bench.BenchSecret.SECRET;

  private final EnvelopeReader reader = new EnvelopeReader();
  private final RoutingFields fields = new RoutingFields();
  private DatagramSignature signature;
  private byte[][] datagrams;
  private int next;
  private long rejected;

  @Setup
  public void buildDatagrams() {
    signature = new DatagramSignature(SHARED_SECRET);
    datagrams = LogDatagrams.signed(signature);
    for (byte[] datagram : datagrams) {
      int offset = DatagramSignature.HMAC_LENGTH;
      if (datagram.length != offset + LogDatagrams.ENVELOPE_LENGTH
          || !signature.verify(datagram, 0, datagram.length)
          || reader.read(datagram, offset, datagram.length - offset, fields) != ReadResult.OK) {
        throw new IllegalStateException("A pre-built datagram is not 211 bytes, or is invalid.");
      }
    }
  }

  @TearDown
  public void checkNothingRejected() {
    if (rejected != 0) {
      throw new IllegalStateException(rejected + " datagrams were rejected; the numbers are void.");
    }
  }

  /** Only the HMAC-SHA256 check of one datagram. */
  @Benchmark
  public void verifyOnly(Blackhole bh) {
    byte[] datagram = nextDatagram();
    bh.consume(signature.verify(datagram, 0, datagram.length));
  }

  /** Only the routing-field read of one envelope (already verified). */
  @Benchmark
  public void readOnly(Blackhole bh) {
    byte[] datagram = nextDatagram();
    int offset = DatagramSignature.HMAC_LENGTH;
    bh.consume(reader.read(datagram, offset, datagram.length - offset, fields));
    bh.consume(fields.appIdLength());
    bh.consume(fields.timestamp());
  }

  /** Verify, read, route: a copy of each envelope into its app's recent-log ring; no subscriber. */
  @Benchmark
  public void verifyReadRouteToRing(NoSubscribers state) {
    receive(state.router);
  }

  /**
   * As {@link #verifyReadRouteToRing}, and each envelope to the 10 subscribers, whose writers run
   * on the receiving thread and whose sends complete inline: the whole fan-out cost, on one thread.
   */
  @Benchmark
  public void verifyReadRouteFanOutInline(InlineSubscribers state) {
    receive(state.subscribed.router);
  }

  /**
   * As {@link #verifyReadRouteToRing}, and each envelope to the 10 subscribers, each with a writer
   * thread of its own as in the doppler; ops/s is the receiving thread's rate, the writers share
   * the remaining CPU and drop what they cannot send.
   */
  @Benchmark
  public void verifyReadRouteFanOutToWriterThreads(WriterThreadSubscribers state) {
    receive(state.subscribed.router);
  }

  /**
   * As {@link #verifyReadRouteFanOutToWriterThreads}, but the 10 writers take turns on one shared
   * executor thread: the same work with fewer thread wake-ups.
   */
  @Benchmark
  public void verifyReadRouteFanOutToSharedWriterThread(SharedWriterThreadSubscribers state) {
    receive(state.subscribed.router);
  }

  /** One turn of the receive loop after {@code receive()} returned a datagram. */
  private void receive(EnvelopeRouter router) {
    byte[] datagram = nextDatagram();
    int length = datagram.length;
    if (!signature.verify(datagram, 0, length)) {
      rejected++;
      return;
    }
    int offset = DatagramSignature.HMAC_LENGTH;
    if (reader.read(datagram, offset, length - offset, fields) != ReadResult.OK) {
      rejected++;
      return;
    }
    router.onEnvelope(datagram, offset, length - offset, fields);
  }

  private byte[] nextDatagram() {
    byte[] datagram = datagrams[next];
    next = (next + 1) & (LogDatagrams.DATAGRAMS - 1);
    return datagram;
  }

  /** A router with no subscribers. */
  @State(Scope.Benchmark)
  public static class NoSubscribers {
    EnvelopeRouter router;

    @Setup
    public void createRouter() {
      router = newRouter();
    }

    @TearDown
    public void report() {
      System.out.printf(
          "%n[router] apps %d, envelopes in rings %d%n",
          router.appCount(), router.recentEnvelopes());
    }
  }

  /** Ten subscribers whose writers run on the thread that offers, and sends complete inline. */
  @State(Scope.Benchmark)
  public static class InlineSubscribers {
    CountingSubscribers subscribed;

    @Setup
    public void subscribe() {
      subscribed = new CountingSubscribers(newRouter(), () -> Runnable::run);
    }

    @TearDown
    public void report() {
      subscribed.closeAndReport();
    }
  }

  /**
   * Ten subscribers, each with its own one-thread executor whose thread lives only while there is
   * something to send (and 30 s after), as {@code org.loggregator.edge.WebSocketSubscriptions}
   * gives every WebSocket subscriber; the writer lingers {@code lingerNanos} each time its queue
   * empties (500,000 is what the WebSocket subscribers get).
   */
  @State(Scope.Benchmark)
  public static class WriterThreadSubscribers {
    final List<ExecutorService> writers = new ArrayList<>();
    CountingSubscribers subscribed;

    @Param({"0", "500000"})
    public long lingerNanos;

    @Setup
    public void subscribe() {
      subscribed =
          new CountingSubscribers(
              newRouter(),
              () -> {
                ExecutorService writer = newWriter(0, 30);
                writers.add(writer);
                return writer;
              },
              lingerNanos);
    }

    @TearDown
    public void report() throws InterruptedException {
      for (ExecutorService writer : writers) {
        writer.shutdown();
      }
      for (ExecutorService writer : writers) {
        if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
          writer.shutdownNow();
        }
      }
      subscribed.closeAndReport();
    }
  }

  /** Ten subscribers whose writers all run on one executor thread that lives for the trial. */
  @State(Scope.Benchmark)
  public static class SharedWriterThreadSubscribers {
    ExecutorService writer;
    CountingSubscribers subscribed;

    @Setup
    public void subscribe() {
      writer = newWriter(1, Long.MAX_VALUE);
      subscribed = new CountingSubscribers(newRouter(), () -> writer);
    }

    @TearDown
    public void report() throws InterruptedException {
      writer.shutdown();
      if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
        writer.shutdownNow();
      }
      subscribed.closeAndReport();
    }
  }

  /** A one-thread executor whose thread starts on demand and ends after the keep-alive. */
  static ExecutorService newWriter(int coreThreads, long keepAliveSeconds) {
    return new ThreadPoolExecutor(
        coreThreads,
        1,
        keepAliveSeconds,
        TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        task -> {
          Thread thread = new Thread(task, "bench-subscriber-writer");
          thread.setDaemon(true);
          return thread;
        });
  }

  static EnvelopeRouter newRouter() {
    return new EnvelopeRouter(
        new EnvelopeRouter.Retention(
            RECENT_LOGS, MAX_APPS, TimeUnit.HOURS.toNanos(1), TimeUnit.MINUTES.toNanos(2)),
        System::nanoTime,
        new RouterCounters(MetricName.localCounters(), Map.of()),
        EnvelopeRouter.Budgets.UNLIMITED);
  }
}
