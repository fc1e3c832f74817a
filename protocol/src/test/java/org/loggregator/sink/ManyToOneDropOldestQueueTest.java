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

  private static List<String> drain(ManyToOneDropOldestQueue queue) {
    List<String> polled = new ArrayList<>();
    for (byte[] next = queue.poll(); next != null; next = queue.poll()) {
      polled.add(new String(next, StandardCharsets.UTF_8));
    }
    return polled;
  }

  @Test
  void shouldHandOutEnvelopesFirstInFirstOutWhenNotFull() {
    ManyToOneDropOldestQueue queue = new ManyToOneDropOldestQueue(4);
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
    ManyToOneDropOldestQueue queue = new ManyToOneDropOldestQueue(3);
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
    ManyToOneDropOldestQueue queue = new ManyToOneDropOldestQueue(3);
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
    ManyToOneDropOldestQueue queue = new ManyToOneDropOldestQueue(2, drops);

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
    ManyToOneDropOldestQueue queue = new ManyToOneDropOldestQueue(2);
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
    ManyToOneDropOldestQueue queue = new ManyToOneDropOldestQueue(2);

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
    ManyToOneDropOldestQueue queue = new ManyToOneDropOldestQueue(1);

    assertTrue(queue.offer(envelope(0)));
    assertFalse(queue.offer(envelope(1)));
    assertEquals(List.of("envelope 1"), drain(queue));
    assertEquals(1, queue.droppedTotal());
  }

  @Test
  void shouldRefuseWhenCapacityIsBelowOne() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ManyToOneDropOldestQueue(0));
    assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
  }

  @Test
  void shouldLoseNothingWhenConcurrentProducersStayWithinCapacity() throws Exception {
    int producers = 4;
    int perProducer = 10_000;
    ManyToOneDropOldestQueue queue = new ManyToOneDropOldestQueue(producers * perProducer);
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
}
