package org.loggregator.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.loggregator.metrics.Counter;

class ManyToOneDropOldestQueueTest {

  private static byte[] envelope(int n) {
    return ("envelope " + n).getBytes(StandardCharsets.UTF_8);
  }

  /** A queue bounded by its count alone. */
  private static ManyToOneDropOldestQueue countOnly(int capacity) {
    return new ManyToOneDropOldestQueue(
        capacity, ManyToOneDropOldestQueue.UNLIMITED_BYTES, Counter.local());
  }

  private static List<String> drain(ManyToOneDropOldestQueue queue) {
    List<String> polled = new ArrayList<>();
    for (byte[] next = queue.poll(); next != null; next = queue.poll()) {
      polled.add(new String(next, StandardCharsets.UTF_8));
    }
    return polled;
  }

  @Test
  void shouldHandOutEnvelopesFirstInFirstOutWhenNotFull() {
    ManyToOneDropOldestQueue queue = countOnly(4);
    for (int i = 0; i < 3; i++) {
      queue.offer(envelope(i));
    }

    assertEquals(3, queue.size());
    assertEquals(List.of("envelope 0", "envelope 1", "envelope 2"), drain(queue));
    assertTrue(queue.isEmpty());
    assertNull(queue.poll());
    assertEquals(0, queue.droppedTotal());
  }

  @Test
  void shouldKeepFirstInFirstOutWhenOffersAndPollsWrapAroundTheSlots() {
    ManyToOneDropOldestQueue queue = countOnly(3);
    List<String> polled = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      queue.offer(envelope(i));
      if (i % 2 == 1) { // two in, two out: never full, but round and round the three slots
        polled.addAll(drain(queue));
      }
    }
    polled.addAll(drain(queue));

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add("envelope " + i);
    }
    assertEquals(expected, polled);
    assertEquals(0, queue.droppedTotal());
  }

  @Test
  void shouldDropTheOldestAndCountItWhenOfferedToAFullQueue() {
    ManyToOneDropOldestQueue queue = countOnly(3);
    for (int i = 0; i < 5; i++) {
      queue.offer(envelope(i));
    }

    assertEquals(3, queue.size());
    assertEquals(2, queue.droppedTotal());
    assertEquals(List.of("envelope 2", "envelope 3", "envelope 4"), drain(queue));
  }

  @Test
  void shouldCountEachDropInTheGivenCounterWhenItHappensWhetherOrNotTheConsumerTakesThem() {
    Counter drops = Counter.local();
    ManyToOneDropOldestQueue queue =
        new ManyToOneDropOldestQueue(2, ManyToOneDropOldestQueue.UNLIMITED_BYTES, drops);

    for (int i = 0; i < 5; i++) {
      queue.offer(envelope(i));
    }

    assertEquals(3, drops.count());
    queue.takeDropped();
    queue.offer(envelope(5));
    assertEquals(4, drops.count());
  }

  @Test
  void shouldResetTheCountWhenDroppedAreTakenButKeepTheTotal() {
    ManyToOneDropOldestQueue queue = countOnly(2);
    for (int i = 0; i < 6; i++) {
      queue.offer(envelope(i));
    }

    assertEquals(4, queue.takeDropped());
    assertEquals(0, queue.takeDropped());

    queue.offer(envelope(6));

    assertEquals(1, queue.takeDropped());
    assertEquals(5, queue.droppedTotal());
  }

  @Test
  void shouldTellWhetherItWasEmptyWhenOffered() {
    ManyToOneDropOldestQueue queue = countOnly(2);

    assertTrue(queue.offer(envelope(0)), "first offer into an empty queue");
    assertFalse(queue.offer(envelope(1)), "second offer");
    assertFalse(queue.offer(envelope(2)), "offer into a full queue");
    queue.poll();
    assertFalse(queue.offer(envelope(3)), "offer after a poll that left one");
    drain(queue);
    assertTrue(queue.offer(envelope(4)), "offer after the consumer emptied it");
  }

  @Test
  void shouldTellItWasNotEmptyWhenCapacityOneIsFullAndDropsItsOnlyEnvelope() {
    ManyToOneDropOldestQueue queue = countOnly(1);

    assertTrue(queue.offer(envelope(0)));
    assertFalse(queue.offer(envelope(1)));
    assertEquals(List.of("envelope 1"), drain(queue));
    assertEquals(1, queue.droppedTotal());
  }

  @Test
  void shouldRefuseWhenCapacityIsBelowOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> countOnly(0));
    assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
  }

  @Test
  void shouldLoseNothingWhenConcurrentProducersStayWithinCapacity() throws Exception {
    int producers = 4;
    int perProducer = 10_000;
    ManyToOneDropOldestQueue queue = countOnly(producers * perProducer);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
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
                  queue.offer(ByteBuffer.allocate(8).putInt(producer).putInt(i).array());
                }
                finished.incrementAndGet();
              });
      thread.start();
      threads.add(thread);
    }

    // One consumer polls while they produce.
    int[] nextExpected = new int[producers];
    int received = 0;
    start.countDown();
    while (received < producers * perProducer) {
      byte[] next = queue.poll();
      if (next == null) {
        if (finished.get() == producers && queue.isEmpty()) {
          break;
        }
        Thread.onSpinWait();
        continue;
      }
      ByteBuffer buffer = ByteBuffer.wrap(next);
      int producer = buffer.getInt();
      int sequence = buffer.getInt();
      assertEquals(nextExpected[producer], sequence, "order of producer " + producer);
      nextExpected[producer]++;
      received++;
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    assertEquals(producers * perProducer, received);
    assertEquals(0, queue.droppedTotal());
    assertTrue(queue.isEmpty());
  }

  // ---- the byte budget

  private static byte[] sized(int n, int length) {
    byte[] envelope = new byte[length];
    envelope[0] = (byte) n;
    return envelope;
  }

  private static List<Integer> ids(ManyToOneDropOldestQueue queue) {
    List<Integer> ids = new ArrayList<>();
    for (byte[] next = queue.poll(); next != null; next = queue.poll()) {
      ids.add((int) next[0]);
    }
    return ids;
  }

  @Test
  void shouldDropTheOldestUntilTheNewOneFitsWhenOfferedBeyondTheByteBudget() {
    Counter drops = Counter.local();
    ManyToOneDropOldestQueue queue = new ManyToOneDropOldestQueue(100, 1_000, drops);
    for (int i = 0; i < 4; i++) {
      queue.offer(sized(i, 300)); // 1,200 bytes offered: the fourth pushes out the first
    }

    assertEquals(3, queue.size());
    assertEquals(900, queue.bytes());
    assertEquals(1, queue.droppedTotal());
    assertEquals(1, drops.count(), "counted where it drops");

    queue.offer(sized(4, 650)); // needs 650: 900 - 300 - 300 = 300 left, 950 with it

    assertEquals(3, queue.droppedTotal());
    assertEquals(3, queue.takeDropped(), "told in the next notice like any other drop");
    assertEquals(950, queue.bytes());
    assertEquals(List.of(3, 4), ids(queue));
    assertEquals(0, queue.bytes());
  }

  @Test
  void shouldBoundByCountWhenEnvelopesAreSmallAndByBytesWhenTheyAreLarge() {
    ManyToOneDropOldestQueue queue = new ManyToOneDropOldestQueue(3, 10_000, Counter.local());
    for (int i = 0; i < 5; i++) {
      queue.offer(sized(i, 10));
    }
    assertEquals(List.of(2, 3, 4), ids(queue), "three small ones: the count bounds");

    for (int i = 0; i < 5; i++) {
      queue.offer(sized(i, 4_000));
    }
    assertEquals(List.of(3, 4), ids(queue), "two large ones: the bytes bound");
    assertEquals(5, queue.droppedTotal());
  }

  @Test
  void shouldKeepAnEnvelopeLargerThanTheWholeBudgetAloneWhenOffered() {
    ManyToOneDropOldestQueue queue = new ManyToOneDropOldestQueue(10, 1_000, Counter.local());
    queue.offer(sized(0, 100));
    queue.offer(sized(1, 100));

    queue.offer(sized(2, 5_000));

    assertEquals(1, queue.size());
    assertEquals(5_000, queue.bytes());
    assertEquals(2, queue.droppedTotal());

    queue.offer(sized(3, 100));

    assertEquals(List.of(3), ids(queue), "the next one pushes it out: it never shares");
    assertEquals(3, queue.droppedTotal());
  }

  @Test
  void shouldGiveBackTheBytesOfWhatIsPolledWhenTheConsumerTakesIt() {
    ManyToOneDropOldestQueue queue = new ManyToOneDropOldestQueue(10, 1_000, Counter.local());
    queue.offer(sized(0, 600));
    assertEquals(600, queue.poll().length);

    queue.offer(sized(1, 600));

    assertEquals(0, queue.droppedTotal(), "the polled one no longer counts against the budget");
    assertEquals(600, queue.bytes());
  }

  @Test
  void shouldRefuseWhenTheByteBudgetIsBelowOne() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ManyToOneDropOldestQueue(10, 0, Counter.local()));
    assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
  }

  @Test
  void shouldAccountEveryByteAndEveryDropWhenManyProducersOfferBeyondTheBudget() throws Exception {
    int producers = 8;
    int perProducer = 5_000;
    long budget = 64 * 1024;
    Counter drops = Counter.local();
    ManyToOneDropOldestQueue queue = new ManyToOneDropOldestQueue(1_000, budget, drops);
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
                  queue.offer(new byte[1 + (producer * 7919 + i * 104_729) % 3_000]);
                }
              });
      thread.start();
      threads.add(thread);
    }
    long polled = 0;
    long maxSeen = 0;
    start.countDown();
    for (Thread thread : threads) {
      while (thread.isAlive()) {
        maxSeen = Math.max(maxSeen, queue.bytes());
        if (queue.poll() != null) {
          polled++;
        }
      }
      thread.join();
    }
    long left = 0;
    long leftBytes = queue.bytes();
    long counted = 0;
    for (byte[] next = queue.poll(); next != null; next = queue.poll()) {
      left++;
      counted += next.length;
    }

    assertEquals(leftBytes, counted, "the byte count is exact");
    assertTrue(leftBytes <= budget && maxSeen <= budget, maxSeen + " bytes seen");
    assertEquals(0, queue.bytes());
    assertEquals((long) producers * perProducer, polled + left + queue.droppedTotal());
    assertEquals(queue.droppedTotal(), drops.count());
  }
}
