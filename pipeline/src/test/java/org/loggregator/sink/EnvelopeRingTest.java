package org.loggregator.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.loggregator.protocol.DatagramSignature;

class EnvelopeRingTest {

  private static byte[] sized(int n, int length) {
    byte[] envelope = new byte[length];
    envelope[0] = (byte) n;
    return envelope;
  }

  private static List<Integer> ids(EnvelopeRing ring) {
    return ring.snapshot().stream().map(e -> (int) e[0]).toList();
  }

  @Test
  void shouldTellHowManyItDroppedAndWhetherTheFirstOnlyMadeRoomInTheCount() {
    EnvelopeRing ring = new EnvelopeRing(3, 1_000);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, ring.add(sized(i, 300)));
    }
    assertTrue(ring.isFull());

    assertEquals(3, ring.add(sized(3, 800)), "one for the count, then two for the bytes");

    assertEquals(List.of(3), ids(ring));
    assertEquals(800, ring.bytes());
    assertFalse(ring.isFull());
  }

  @Test
  void shouldHoldOneEnvelopeOfTheLargestDatagramAtTheSmallestConfigurableBudget() {
    EnvelopeRing ring = new EnvelopeRing(100, 64 * 1024);
    ring.add(sized(0, 100));

    assertEquals(1, ring.add(sized(1, DatagramSignature.MAX_DATAGRAM)));
    assertEquals(1, ring.add(sized(2, DatagramSignature.MAX_DATAGRAM)));

    assertEquals(List.of(2), ids(ring));
    assertEquals(DatagramSignature.MAX_DATAGRAM, ring.bytes());
  }

  @Test
  void shouldDropTheOldestUntilEnoughIsFreedButKeepAsManyAsAskedWhenDroppingForOthers() {
    EnvelopeRing ring = new EnvelopeRing(10, Long.MAX_VALUE);
    for (int i = 0; i < 5; i++) {
      ring.add(sized(i, 100));
    }

    assertEquals(2, ring.dropOldest(150, 0));
    assertEquals(List.of(2, 3, 4), ids(ring));
    assertEquals(2, ring.dropOldest(10_000, 1));
    assertEquals(List.of(4), ids(ring));
    assertEquals(0, ring.dropOldest(10_000, 1));
    assertEquals(0, ring.dropOldest(0, 0), "nothing wanted, nothing dropped");
    assertEquals(100, ring.bytes());
  }

  @Test
  void shouldKeepItsByteCountTheSumOfWhatItHoldsWhateverIsAddedPolledDroppedOrCleared() {
    Random random = new Random(42);
    EnvelopeRing ring = new EnvelopeRing(16, 20_000);
    Deque<byte[]> expected = new ArrayDeque<>();
    for (int step = 0; step < 100_000; step++) {
      int op = random.nextInt(20);
      if (op < 14) {
        byte[] envelope = new byte[1 + random.nextInt(op == 0 ? 40_000 : 3_000)];
        ring.add(envelope);
        while (!expected.isEmpty()
            && (expected.size() == 16 || sum(expected) + envelope.length > 20_000)) {
          expected.removeFirst();
        }
        expected.addLast(envelope);
      } else if (op < 18) {
        assertSame(expected.pollFirst(), ring.poll());
      } else if (op < 19) {
        long wanted = random.nextInt(10_000);
        int keep = random.nextInt(3);
        long freed = 0;
        while (freed < wanted && expected.size() > keep) {
          freed += expected.removeFirst().length;
        }
        ring.dropOldest(wanted, keep);
      } else {
        ring.clear();
        expected.clear();
      }
      assertEquals(sum(expected), ring.bytes(), "after step " + step);
      assertEquals(expected.size(), ring.size());
      assertTrue(ring.bytes() <= 20_000 || ring.size() == 1, ring.bytes() + " bytes held");
    }
    assertEquals(new ArrayList<>(expected), ring.snapshot());
  }

  @Test
  void shouldStartWithFewSlotsAndGrowThemUpToItsCapacityKeepingTheOrderAcrossWraps() {
    EnvelopeRing ring = new EnvelopeRing(1_000, Long.MAX_VALUE);
    assertEquals(EnvelopeRing.INITIAL_SLOTS, ring.slots());
    assertEquals(1_000, ring.capacity());
    Random random = new Random(7);
    Deque<byte[]> expected = new ArrayDeque<>();
    for (int step = 0; step < 50_000; step++) {
      // Bursts of adds then of polls, so the ring wraps at every size it grows through.
      boolean adding = (step / 700) % 3 != 2;
      if (adding && random.nextInt(4) != 0) {
        byte[] envelope = new byte[1 + random.nextInt(50)];
        int dropped = ring.add(envelope);
        assertEquals(expected.size() == 1_000 ? 1 : 0, dropped, "at step " + step);
        if (dropped == 1) {
          expected.removeFirst();
        }
        expected.addLast(envelope);
      } else {
        assertSame(expected.pollFirst(), ring.poll());
      }
      assertTrue(ring.slots() <= 1_000 && ring.slots() >= ring.size(), ring.slots() + " slots");
    }
    assertEquals(1_000, ring.slots(), "grown to the capacity by the bursts");
    assertEquals(new ArrayList<>(expected), ring.snapshot());
    assertEquals(sum(expected), ring.bytes());
  }

  @Test
  void shouldHoldBothBoundsWhileItsSlotsGrowWithEnvelopesOfEverySizeUpToTheLargest() {
    Random random = new Random(11);
    EnvelopeRing ring = new EnvelopeRing(5_000, 200_000);
    Deque<byte[]> expected = new ArrayDeque<>();
    long held = 0;
    for (int step = 0; step < 60_000; step++) {
      if (random.nextInt(5) != 0) {
        int length =
            random.nextInt(50) == 0 ? DatagramSignature.MAX_ENVELOPE : 1 + random.nextInt(60);
        byte[] envelope = new byte[length];
        ring.add(envelope);
        while (!expected.isEmpty()
            && (expected.size() == 5_000 || held + envelope.length > 200_000)) {
          held -= expected.removeFirst().length;
        }
        expected.addLast(envelope);
        held += length;
      } else if (!expected.isEmpty()) {
        byte[] oldest = expected.pollFirst();
        held -= oldest.length;
        assertSame(oldest, ring.poll());
      }
      assertEquals(held, ring.bytes(), "after step " + step);
      assertTrue(ring.size() <= 5_000 && ring.slots() <= 5_000, ring.size() + " held");
      assertTrue(ring.bytes() <= 200_000 || ring.size() == 1, ring.bytes() + " bytes held");
    }
    assertEquals(new ArrayList<>(expected), ring.snapshot());
    assertEquals(sum(expected), ring.bytes());
  }

  @Test
  void shouldKeepSmallSlotsWhileItHoldsLittle() {
    EnvelopeRing ring = new EnvelopeRing(1 << 20, Long.MAX_VALUE);
    for (int i = 0; i < 100_000; i++) {
      ring.add(sized(i, 10));
      ring.poll();
    }
    assertEquals(EnvelopeRing.INITIAL_SLOTS, ring.slots());
    assertEquals(3, new EnvelopeRing(3, 100).slots(), "never more than the capacity");
  }

  private static long sum(Deque<byte[]> envelopes) {
    long bytes = 0;
    for (byte[] envelope : envelopes) {
      bytes += envelope.length;
    }
    return bytes;
  }

  @Test
  void shouldAnswerNullWhenPolledEmpty() {
    EnvelopeRing ring = new EnvelopeRing(1, 1);

    assertNull(ring.poll());
    assertTrue(ring.isEmpty());
  }

  @Test
  void shouldRefuseACapacityOrAByteBudgetBelowOne() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new EnvelopeRing(0, 1))
            .getMessage()
            .contains("at least 1"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new EnvelopeRing(1, 0))
            .getMessage()
            .contains("at least 1"));
  }
}
