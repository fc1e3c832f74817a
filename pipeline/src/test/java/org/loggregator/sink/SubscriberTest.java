package org.loggregator.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.loggregator.metrics.MetricName;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;
import org.loggregator.sink.RecordingTransport.Completion;

class SubscriberTest {
  private static final String APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";
  private static final String ORIGIN = "doppler";

  private final SinkCounters counters = new SinkCounters(MetricName.localCounters(), Map.of());
  private final ExecutorService completer = Executors.newSingleThreadExecutor();
  private final ExecutorService writers = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopThreads() throws InterruptedException {
    completer.shutdownNow();
    writers.shutdownNow();
    completer.awaitTermination(5, TimeUnit.SECONDS);
    writers.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static byte[] envelope(int n) {
    return ("envelope " + n).getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] envelope) {
    return new String(envelope, StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<byte[]> envelopes) {
    return envelopes.stream().map(SubscriberTest::text).toList();
  }

  private static List<String> range(int from, int to) {
    List<String> expected = new ArrayList<>();
    for (int i = from; i < to; i++) {
      expected.add("envelope " + i);
    }
    return expected;
  }

  private Subscriber subscriber(int capacity, RecordingTransport transport) {
    return new Subscriber(capacity, transport, Runnable::run, counters, APP, ORIGIN);
  }

  private static LogMessage decodeNotice(byte[] bytes) throws InvalidProtocolBufferException {
    Envelope notice = Envelope.parseFrom(bytes);
    assertEquals(ORIGIN, notice.getOrigin());
    assertEquals(Envelope.EventType.LogMessage, notice.getEventType());
    assertTrue(notice.hasTimestamp());
    LogMessage log = notice.getLogMessage();
    assertEquals(LogMessage.MessageType.ERR, log.getMessageType());
    assertEquals("LGR", log.getSourceType());
    return log;
  }

  @Test
  void shouldDeliverEveryEnvelopeInOrderWhenSendsCompleteInline() {
    RecordingTransport transport = RecordingTransport.inline("stream 1");
    Subscriber subscriber = subscriber(8, transport);

    for (int i = 0; i < 100; i++) {
      subscriber.offer(envelope(i));
    }

    assertEquals(range(0, 100), texts(transport.sends()));
    assertEquals(100, counters.sent());
    assertEquals(0, counters.droppedEgress());
    assertEquals(0, counters.notices());
    assertEquals(0, subscriber.queued());
    assertEquals(0, transport.overlappingSends());
  }

  @Test
  void shouldSendTheSameArrayItWasOfferedWhenDelivering() {
    RecordingTransport transport = RecordingTransport.inline("stream 1");
    Subscriber subscriber = subscriber(8, transport);
    byte[] envelope = envelope(1);

    subscriber.offer(envelope);

    assertTrue(transport.sends().get(0) == envelope);
  }

  @Test
  void shouldDeliverInOrderWhenSendsCompleteOnAnotherThread() {
    RecordingTransport transport = RecordingTransport.async(completer, "stream 1");
    Subscriber subscriber = subscriber(1_000, transport);

    for (int i = 0; i < 1_000; i++) {
      subscriber.offer(envelope(i));
    }
    transport.awaitSends(1_000);

    assertEquals(range(0, 1_000), texts(transport.sends()));
    assertEquals(0, transport.overlappingSends());
  }

  /** Each mode: who runs the writer task, and how sends complete. */
  enum Mode {
    INLINE_WRITER_INLINE_COMPLETION(false, Completion.INLINE),
    INLINE_WRITER_ASYNC_COMPLETION(false, Completion.ASYNC),
    EXECUTOR_WRITER_INLINE_COMPLETION(true, Completion.INLINE),
    EXECUTOR_WRITER_ASYNC_COMPLETION(true, Completion.ASYNC),
    LINGERING_EXECUTOR_WRITER_INLINE_COMPLETION(true, Completion.INLINE, 100_000),
    LINGERING_EXECUTOR_WRITER_ASYNC_COMPLETION(true, Completion.ASYNC, 100_000);

    final boolean writerOnExecutor;
    final Completion completion;
    final long lingerNanos;

    Mode(boolean writerOnExecutor, Completion completion) {
      this(writerOnExecutor, completion, 0);
    }

    Mode(boolean writerOnExecutor, Completion completion, long lingerNanos) {
      this.writerOnExecutor = writerOnExecutor;
      this.completion = completion;
      this.lingerNanos = lingerNanos;
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void shouldNeitherLoseNorDuplicateNorReorderWhenProducersOfferConcurrently(Mode mode)
      throws InterruptedException {
    int producers = 4;
    int perProducer = 10_000;
    RecordingTransport transport = RecordingTransport.of(mode.completion, completer, "stream 1");
    Subscriber subscriber =
        new Subscriber(
            producers * perProducer,
            ManyToOneDropOldestQueue.UNLIMITED_BYTES,
            transport,
            mode.writerOnExecutor ? writers : Runnable::run,
            counters,
            APP,
            ORIGIN,
            mode.lingerNanos);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perProducer; i++) {
                  subscriber.offer(ByteBuffer.allocate(8).putInt(producer).putInt(i).array());
                }
              });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    transport.awaitSends(producers * perProducer);

    List<byte[]> sends = transport.sends();
    assertEquals(producers * perProducer, sends.size(), "sends");
    int[] nextExpected = new int[producers];
    for (byte[] sent : sends) {
      ByteBuffer buffer = ByteBuffer.wrap(sent);
      int producer = buffer.getInt();
      int sequence = buffer.getInt();
      assertEquals(nextExpected[producer], sequence, "order of producer " + producer);
      nextExpected[producer]++;
    }
    assertEquals(0, transport.overlappingSends(), "sends started while one was in flight");
    assertEquals(0, subscriber.dropped());
    assertEquals(0, counters.droppedEgress());
    assertEquals(0, counters.notices());
  }

  @Test
  void shouldSendWhatArrivesWhileTheWriterLingersWithoutStartingAnotherWriterTask() {
    RecordingTransport transport = RecordingTransport.inline("stream 1");
    AtomicInteger tasks = new AtomicInteger();
    Subscriber subscriber =
        new Subscriber(
            100,
            ManyToOneDropOldestQueue.UNLIMITED_BYTES,
            transport,
            task -> {
              tasks.incrementAndGet();
              writers.execute(task);
            },
            counters,
            APP,
            ORIGIN,
            TimeUnit.SECONDS.toNanos(5));

    subscriber.offer(envelope(0));
    transport.awaitSends(1);
    subscriber.offer(envelope(1)); // the writer is sending or lingering: it is not woken
    subscriber.offer(envelope(2));
    transport.awaitSends(3);

    assertEquals(range(0, 3), texts(transport.sends()));
    assertEquals(1, tasks.get(), "writer tasks started");
  }

  @Test
  void shouldLetGoOfTheWriterThreadWhenNothingArrivesWhileItLingers() throws Exception {
    RecordingTransport transport = RecordingTransport.inline("stream 1");
    AtomicInteger tasks = new AtomicInteger();
    CountDownLatch firstTaskDone = new CountDownLatch(1);
    Subscriber subscriber =
        new Subscriber(
            100,
            ManyToOneDropOldestQueue.UNLIMITED_BYTES,
            transport,
            task ->
                writers.execute(
                    () -> {
                      tasks.incrementAndGet();
                      task.run();
                      firstTaskDone.countDown();
                    }),
            counters,
            APP,
            ORIGIN,
            TimeUnit.MILLISECONDS.toNanos(1));

    subscriber.offer(envelope(0));
    assertTrue(firstTaskDone.await(10, TimeUnit.SECONDS), "the writer task ends after lingering");
    subscriber.offer(envelope(1));
    transport.awaitSends(2);

    assertEquals(2, tasks.get(), "a new writer task for the envelope after the linger");
  }

  @Test
  void shouldDropOldestAndNotifyWhenSubscriberFallsBehind() throws Exception {
    RecordingTransport transport = RecordingTransport.stuck("stream client 10.0.0.1");
    Subscriber subscriber = subscriber(10, transport);

    for (int i = 0; i < 25; i++) {
      subscriber.offer(envelope(i));
    }

    // Envelope 0 is in flight and never completes; 1..24 compete for 10 places.
    assertEquals(List.of("envelope 0"), texts(transport.sends()));
    assertEquals(10, subscriber.queued());
    assertEquals(14, subscriber.dropped());
    assertEquals(14, counters.droppedEgress(), "drops are counted where they happen");
    assertEquals(0, counters.notices());

    transport.unstick();

    List<byte[]> sends = transport.sends();
    assertEquals(12, sends.size());
    LogMessage notice = decodeNotice(sends.get(1));
    assertEquals(
        "Log message output too high. We've dropped 14 messages to stream client 10.0.0.1.",
        notice.getMessage().toStringUtf8());
    assertEquals(APP, notice.getAppId());
    assertEquals(range(15, 25), texts(sends.subList(2, 12)));
    assertEquals(14, counters.droppedEgress());
    assertEquals(1, counters.notices());
    assertEquals(12, counters.sent());
    assertEquals(0, subscriber.queued());
  }

  @Test
  void shouldDropOldestAndNotifyWhenItsQueuedEnvelopesReachTheByteBudget() throws Exception {
    RecordingTransport transport = RecordingTransport.stuck("stream client 10.0.0.2");
    byte[][] large = new byte[6][];
    Subscriber subscriber =
        new Subscriber(1_000, 10_000, transport, Runnable::run, counters, APP, ORIGIN, 0);

    for (int i = 0; i < large.length; i++) {
      large[i] = new byte[4_000];
      large[i][0] = (byte) i;
      subscriber.offer(large[i]);
    }

    // Envelope 0 is in flight; 1..5 compete for 10,000 bytes: two of 4,000 fit.
    assertEquals(2, subscriber.queued(), "far below the count of 1,000");
    assertEquals(8_000, subscriber.queuedBytes());
    assertEquals(3, subscriber.dropped());
    assertEquals(3, counters.droppedEgress(), "counted in the egress drop counter");

    transport.unstick();

    List<byte[]> sends = transport.sends();
    assertEquals(4, sends.size());
    assertEquals(
        "Log message output too high. We've dropped 3 messages to stream client 10.0.0.2.",
        decodeNotice(sends.get(1)).getMessage().toStringUtf8());
    assertTrue(sends.get(2) == large[4] && sends.get(3) == large[5], "the newest two are sent");
    assertEquals(0, subscriber.queuedBytes());
  }

  @Test
  void shouldCountOnlyTheNewDropsInTheNextNoticeWhenItFallsBehindAgain() throws Exception {
    RecordingTransport transport = RecordingTransport.stuck("stream 1");
    Subscriber subscriber = subscriber(2, transport);
    for (int i = 0; i < 6; i++) {
      subscriber.offer(envelope(i)); // 0 in flight, 1..3 dropped, 4 and 5 queued
    }
    transport.unstick();
    transport.stick();

    for (int i = 6; i < 10; i++) {
      subscriber.offer(envelope(i)); // 6 in flight, 7 dropped, 8 and 9 queued
    }
    transport.unstick();

    List<byte[]> sends = transport.sends();
    assertEquals(
        List.of("envelope 0", "envelope 4", "envelope 5", "envelope 6"),
        List.of(text(sends.get(0)), text(sends.get(2)), text(sends.get(3)), text(sends.get(4))));
    assertEquals(
        "Log message output too high. We've dropped 3 messages to stream 1.",
        decodeNotice(sends.get(1)).getMessage().toStringUtf8());
    assertEquals(
        "Log message output too high. We've dropped 1 messages to stream 1.",
        decodeNotice(sends.get(5)).getMessage().toStringUtf8());
    assertEquals(List.of("envelope 8", "envelope 9"), texts(sends.subList(6, 8)));
    assertEquals(4, counters.droppedEgress());
    assertEquals(2, counters.notices());
  }

  @Test
  void shouldCarryNoAppIdInTheNoticeWhenTheSubscriberIsAFirehose() throws Exception {
    RecordingTransport transport = RecordingTransport.stuck("firehose nozzle");
    Subscriber subscriber = new Subscriber(1, transport, Runnable::run, counters, null, ORIGIN);
    for (int i = 0; i < 3; i++) {
      subscriber.offer(envelope(i));
    }

    transport.unstick();

    LogMessage notice = decodeNotice(transport.sends().get(1));
    assertFalse(notice.hasAppId());
    assertEquals(
        "Log message output too high. We've dropped 1 messages to firehose nozzle.",
        notice.getMessage().toStringUtf8());
    assertEquals("envelope 2", text(transport.sends().get(2)));
  }

  @Test
  void shouldCloseAndIgnoreLaterOffersWhenASendFails() {
    RecordingTransport transport = RecordingTransport.inline("stream 1");
    transport.failWith(new IOException("connection reset"));
    Subscriber subscriber = subscriber(8, transport);

    subscriber.offer(envelope(0));

    assertTrue(subscriber.isClosed());
    assertEquals(1011, transport.closeCode());

    subscriber.offer(envelope(1));
    subscriber.offer(envelope(2));

    assertEquals(List.of("envelope 0"), texts(transport.sends()));
    assertEquals(0, subscriber.queued());
    assertEquals(0, counters.sent());
  }

  @Test
  void shouldFlushOnceEachTimeItsQueueEmpties() {
    RecordingTransport transport = RecordingTransport.inline("stream 1");
    Subscriber subscriber = subscriber(8, transport);

    subscriber.offer(envelope(0));
    assertEquals(1, transport.flushes());
    subscriber.offer(envelope(1));

    assertEquals(2, transport.flushes());
    assertEquals(range(0, 2), texts(transport.sends()));
  }

  @Test
  void shouldCloseAndIgnoreLaterOffersWhenAFlushFails() {
    RecordingTransport transport = RecordingTransport.inline("stream 1");
    transport.failFlushWith(new IOException("connection reset"));
    Subscriber subscriber = subscriber(8, transport);

    subscriber.offer(envelope(0));
    subscriber.offer(envelope(1));

    assertTrue(subscriber.isClosed());
    assertEquals(1011, transport.closeCode());
    assertEquals(List.of("envelope 0"), texts(transport.sends()));
    assertEquals(0, subscriber.sendStalledNanos(System.nanoTime()), "no send left in flight");
  }

  @Test
  void shouldCloseAndStopSendingWhenASendFailsOnAnotherThread() {
    RecordingTransport transport = RecordingTransport.stuck("stream 1");
    Subscriber subscriber = subscriber(8, transport);
    subscriber.offer(envelope(0));
    subscriber.offer(envelope(1));

    // The failure arrives as the completion of the send in flight.
    Thread completion =
        new Thread(() -> transport.failInFlight(new IOException("connection reset")));
    completion.start();
    assertJoined(completion);

    assertTrue(subscriber.isClosed());
    assertEquals(1011, transport.closeCode());
    subscriber.offer(envelope(2));
    assertEquals(List.of("envelope 0"), texts(transport.sends()));
  }

  private static void assertJoined(Thread thread) {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertFalse(thread.isAlive());
  }

  @Test
  void shouldCloseOnceWhenClosedTwice() {
    RecordingTransport transport = RecordingTransport.inline("stream 1");
    Subscriber subscriber = subscriber(8, transport);

    subscriber.close(1000, "Bye.");
    subscriber.close(1011, "Again.");

    assertEquals(1000, transport.closeCode());
    assertEquals("Bye.", transport.closeReason());
    subscriber.offer(envelope(0));
    assertTrue(transport.sends().isEmpty());
  }

  @Test
  void shouldReportAStalledSendWhenTheTransportNeverCompletes() {
    RecordingTransport transport = RecordingTransport.stuck("stream 1");
    Subscriber subscriber = subscriber(8, transport);
    long oneMinute = TimeUnit.MINUTES.toNanos(1);

    assertEquals(0, subscriber.sendStalledNanos(System.nanoTime() + oneMinute), "idle");

    subscriber.offer(envelope(0));

    assertTrue(subscriber.sendStalledNanos(System.nanoTime() + oneMinute) >= oneMinute);

    transport.unstick();

    assertEquals(0, subscriber.sendStalledNanos(System.nanoTime() + oneMinute), "completed");
  }

  @Test
  void shouldDescribeItselfAsItsTransportDoes() {
    Subscriber subscriber = subscriber(8, RecordingTransport.inline("stream of app x"));

    assertEquals("stream of app x", subscriber.description());
  }

  @Test
  void shouldNotBlockTheProducerWhenTheTransportIsStuck() {
    RecordingTransport transport = RecordingTransport.stuck("stream 1");
    Subscriber subscriber = subscriber(100, transport);

    for (int i = 0; i < 100_000; i++) {
      subscriber.offer(envelope(i));
    }

    assertEquals(100, subscriber.queued());
    assertEquals(100_000 - 1 - 100, subscriber.dropped());
    assertEquals(subscriber.dropped(), counters.droppedEgress());
    assertArrayEquals(envelope(0), transport.sends().get(0));
  }
}
