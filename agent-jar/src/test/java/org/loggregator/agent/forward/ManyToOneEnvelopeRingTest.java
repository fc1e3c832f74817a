package org.loggregator.agent.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.TestSecrets;

class ManyToOneEnvelopeRingTest {

  private static byte[] bytes(int length, int seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static List<byte[]> drainAll(ManyToOneEnvelopeRing ring) {
    List<byte[]> out = new ArrayList<>();
    while (ring.drain((d, k, b, o, l) -> out.add(Arrays.copyOfRange(b, o, o + l)), 1000) > 0) {
      // until empty
    }
    return out;
  }

  @Test
  void shouldRefuseTheCapacityWhenItIsNotAPowerOfTwoOrTooSmall() {
    assertThrows(IllegalArgumentException.class, () -> new ManyToOneEnvelopeRing(100_000));
    assertThrows(IllegalArgumentException.class, () -> new ManyToOneEnvelopeRing(1 << 10));
  }

  @Test
  void shouldHandOverEnvelopesInOrderWithTheirDestinationWhenDrained() {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    assertTrue(ring.offer(3, bytes(10, 1), 0, 10));
    assertTrue(ring.offer(ManyToOneEnvelopeRing.ANY_DESTINATION, bytes(0, 2), 0, 0));
    assertTrue(ring.offer(0, bytes(300, 3), 0, 300));
    List<String> seen = new ArrayList<>();
    int n = ring.drain((d, k, b, o, l) -> seen.add(d + ":" + l), 10);
    assertEquals(3, n);
    assertEquals(List.of("3:10", "-1:0", "0:300"), seen);
    assertTrue(ring.isEmpty());
  }

  @Test
  void shouldReturnMinusOneAndKeepWhatItHoldsWhenFull() {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    int accepted = 0;
    while (ring.offer(0, bytes(1000, accepted), 0, 1000)) {
      accepted++;
    }
    assertEquals(-1, ring.tryClaim(0, 1000));
    assertTrue(accepted > 50);
    List<byte[]> out = drainAll(ring);
    assertEquals(accepted, out.size());
    for (int i = 0; i < accepted; i++) {
      assertArrayEquals(bytes(1000, i), out.get(i));
    }
    assertTrue(ring.offer(0, bytes(1000, 0), 0, 1000), "room again once drained");
  }

  @Test
  void shouldHandOverWhatFollowsTheWrapInTheSameCallWhenOnlyPaddingIsLeftBeforeTheEnd() {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    int length = 4000 - ManyToOneEnvelopeRing.ENVELOPE_OFFSET - ManyToOneEnvelopeRing.TRAILER_ROOM;
    int offered = 0;
    while (ring.offer(0, bytes(length, offered), 0, length)) {
      offered++; // 16 records of 4,000 bytes leave 1,536 bytes before the end of the array
    }
    assertEquals(offered, drainAll(ring).size());
    assertTrue(ring.offer(1, bytes(length, 99), 0, length), "pads the end, lands at the start");
    List<byte[]> out = new ArrayList<>();
    assertEquals(1, ring.drain((d, k, b, o, l) -> out.add(Arrays.copyOfRange(b, o, o + l)), 10));
    assertArrayEquals(bytes(length, 99), out.get(0));
    assertTrue(ring.isEmpty());
  }

  @Test
  void shouldWrapAroundIntactWhenRecordsOfEverySizeCrossTheEnd() {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    Random random = new Random(9);
    int produced = 0;
    int consumed = 0;
    for (int round = 0; round < 2000; round++) {
      int burst = 1 + random.nextInt(20);
      for (int i = 0; i < burst; i++) {
        int length = random.nextInt(random.nextBoolean() ? 64 : ring.maxEnvelopeLength());
        if (ring.offer(produced % 5, bytes(length, produced), 0, length)) {
          produced++;
        } else {
          break;
        }
      }
      int limit = random.nextInt(25);
      int[] expected = {consumed};
      consumed +=
          ring.drain(
              (d, k, b, o, l) -> {
                byte[] want = bytes(l, expected[0]);
                assertArrayEquals(want, Arrays.copyOfRange(b, o, o + l), "envelope " + expected[0]);
                assertEquals(expected[0] % 5, d);
                expected[0]++;
              },
              limit);
    }
    consumed += drainAll(ring).size();
    assertEquals(produced, consumed);
  }

  @Test
  void shouldLeaveRoomForTheHmacJustBeforeEachEnvelopeWhenClaimed() {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    for (int i = 0; i < 3; i++) {
      assertTrue(ring.offer(0, bytes(50, i), 0, 50));
    }
    DatagramSignature signature = new DatagramSignature(TestSecrets.SECRET);
    List<byte[]> datagrams = new ArrayList<>();
    ring.drain(
        (d, k, b, o, l) -> {
          int start = o - DatagramSignature.HMAC_LENGTH;
          int n = signature.sign(b, o, l, b, start);
          datagrams.add(Arrays.copyOfRange(b, start, start + n));
        },
        10);
    for (int i = 0; i < 3; i++) {
      byte[] datagram = datagrams.get(i);
      assertTrue(signature.verify(datagram, 0, datagram.length));
      assertArrayEquals(
          bytes(50, i),
          Arrays.copyOfRange(datagram, DatagramSignature.HMAC_LENGTH, datagram.length));
    }
  }

  @Test
  void shouldSkipAnAbortedClaimWhenDraining() {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    int at = ring.tryClaim(0, 20);
    ring.abort(at);
    ring.offer(1, bytes(5, 5), 0, 5);
    List<byte[]> out = drainAll(ring);
    assertEquals(1, out.size());
    assertArrayEquals(bytes(5, 5), out.get(0));
  }

  @Test
  void shouldStopAtAClaimNotYetCommittedWhenDraining() {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    int first = ring.tryClaim(0, 4);
    ring.offer(0, bytes(4, 1), 0, 4);
    assertEquals(0, ring.drain((d, k, b, o, l) -> {}, 10));
    assertFalse(ring.isEmpty());
    ring.commit(first);
    assertEquals(2, ring.drain((d, k, b, o, l) -> {}, 10));
  }

  @Test
  void shouldDeliverEachCommittedEnvelopeOnceAndInProducerOrderWhenFourProducersRace()
      throws Exception {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    int producers = 4;
    int perProducer = 100_000;
    AtomicLong accepted = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int id = p;
      threads.add(
          new Thread(
              () -> {
                byte[] envelope = new byte[12 + id * 7];
                for (int seq = 0; seq < perProducer; seq++) {
                  ByteBuffer.wrap(envelope).putInt(id).putInt(seq).putInt(~seq);
                  if (ring.offer(id, envelope, 0, envelope.length)) {
                    accepted.incrementAndGet();
                  }
                }
              }));
    }
    threads.forEach(Thread::start);
    int[] lastSeq = {-1, -1, -1, -1};
    long[] received = {0};
    ManyToOneEnvelopeRing.Handler check =
        (d, k, b, o, l) -> {
          ByteBuffer in = ByteBuffer.wrap(b, o, l);
          int id = in.getInt();
          int seq = in.getInt();
          assertEquals(~seq, in.getInt());
          assertEquals(id, d);
          assertEquals(12 + id * 7, l);
          assertTrue(seq > lastSeq[id], "in order per producer");
          lastSeq[id] = seq;
          received[0]++;
        };
    while (threads.stream().anyMatch(Thread::isAlive)) {
      if (ring.drain(check, 64) == 0) {
        ring.awaitEnvelopes(TimeUnit.MILLISECONDS.toNanos(1));
      }
    }
    while (!ring.isEmpty()) {
      ring.drain(check, 1000);
    }
    assertEquals(accepted.get(), received[0]);
    assertTrue(ring.isEmpty());
    System.out.printf(
        "ring race: %d of %d offers accepted%n", accepted.get(), (long) producers * perProducer);
  }

  @Test
  void shouldWakeAParkedConsumerWhenAProducerCommits() throws Exception {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    Thread consumer = new Thread(() -> ring.awaitEnvelopes(TimeUnit.SECONDS.toNanos(120)));
    consumer.start();
    while (consumer.getState() != Thread.State.TIMED_WAITING) {
      Thread.sleep(1);
    }
    ring.offer(0, bytes(3, 3), 0, 3);
    consumer.join(60_000);
    assertFalse(consumer.isAlive(), "a commit unparks the consumer");
  }

  @Test
  void shouldNotAllocateWhenClaimingCommittingAndDraining() {
    ManyToOneEnvelopeRing ring = new ManyToOneEnvelopeRing(1 << 16);
    byte[] envelope = bytes(200, 1);
    long[] sum = {0};
    ManyToOneEnvelopeRing.Handler handler = (d, k, b, o, l) -> sum[0] += l;
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 50_000; i++) {
      ring.offer(0, envelope, 0, envelope.length);
      ring.drain(handler, 10);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 50_000; i++) {
      ring.offer(0, envelope, 0, envelope.length);
      ring.drain(handler, 10);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 4_096, "allocated " + allocated + " bytes for 50,000 envelopes");
  }
}
