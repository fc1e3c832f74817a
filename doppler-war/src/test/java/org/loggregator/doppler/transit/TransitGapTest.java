package org.loggregator.doppler.transit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TransitGapTest {

  /** Feeds the numbers in order, starting a gap with the first. */
  private static TransitGap feed(int... sequences) {
    TransitGap gap = new TransitGap(sequences[0]);
    for (int i = 1; i < sequences.length; i++) {
      gap.observe(sequences[i]);
    }
    return gap;
  }

  @Test
  void shouldCountNothingLostWhenNumbersArriveInOrder() {
    TransitGap gap = feed(0, 1, 2, 3, 4);
    gap.flush();
    gap.flush();
    assertEquals(5, gap.receivedCount);
    assertEquals(0, gap.lostCount);
  }

  @Test
  void shouldCountNoLossWhenReorderedWithinTheWindowBeforeTheSecondFlush() {
    TransitGap gap = feed(0, 3, 1);
    gap.flush(); // 2 is a hole, not yet lost
    assertEquals(0, gap.lostCount);
    gap.observe(2); // arrives within the next interval
    gap.flush();
    gap.flush();
    assertEquals(4, gap.receivedCount);
    assertEquals(0, gap.lostCount);
    assertEquals(0, gap.late);
  }

  @Test
  void shouldDeclareAHoleLostWhenStillOpenAtTheSecondFlushAfterItOpened() {
    TransitGap gap = feed(0, 2);
    gap.flush();
    assertEquals(0, gap.lostCount, "one full interval to arrive");
    gap.flush();
    assertEquals(1, gap.lostCount);
    gap.resetCounts();
    gap.flush();
    assertEquals(0, gap.lostCount, "counted once");
  }

  @Test
  void shouldDeclareHolesLostAtOnceWhenTheyFallOutOfTheWindow() {
    TransitGap gap = feed(0, 2, 2 + TransitGap.WINDOW);
    // Exactly: 1 (number 1) fell out of the window; 3 .. 65 are holes still in it.
    assertEquals(1, gap.lostCount);
    gap.flush();
    gap.flush();
    assertEquals(1 + TransitGap.WINDOW - 1, gap.lostCount);
  }

  @Test
  void shouldCountEverySkippedNumberWhenTheJumpIsWiderThanTheWindow() {
    TransitGap gap = feed(0, 1000);
    gap.flush();
    gap.flush();
    assertEquals(999, gap.lostCount);
    assertEquals(2, gap.receivedCount);
  }

  @Test
  void shouldCountDuplicatesOnceAndNotAsReceived() {
    TransitGap gap = feed(0, 1, 1, 0, 2, 2);
    assertEquals(3, gap.receivedCount);
    assertEquals(3, gap.duplicates);
    gap.flush();
    gap.flush();
    assertEquals(0, gap.lostCount);
  }

  @Test
  void shouldCountLateNotReceivedWhenALostNumberArrivesAfterAll() {
    TransitGap gap = feed(0, 2);
    gap.flush();
    gap.flush();
    assertEquals(1, gap.lostCount);
    gap.observe(1);
    assertEquals(1, gap.late);
    assertEquals(2, gap.receivedCount);
  }

  @Test
  void shouldFollowTheNumbersAcrossTheWrapWhenTheyPassTheLargestUnsigned() {
    TransitGap gap = feed(-3, -2, 0, 1); // 0xFFFFFFFD, 0xFFFFFFFE, then 0 and 1: 0xFFFFFFFF lost
    gap.flush();
    gap.observe(2);
    gap.flush();
    assertEquals(1, gap.lostCount);
    assertEquals(5, gap.receivedCount);
    assertEquals(0, gap.resyncs);
  }

  @Test
  void shouldCountTheFirstNumbersLostWhenTheFirstSeenIsNotZero() {
    TransitGap gap = feed(3, 4); // 0, 1, 2 never came
    gap.flush();
    gap.flush();
    assertEquals(3, gap.lostCount);
  }

  @Test
  void shouldTakeAReorderedEarlyNumberAsReceivedWhenItComesAfterTheFirstSeen() {
    TransitGap gap = feed(1, 0, 2);
    gap.flush();
    gap.flush();
    assertEquals(0, gap.lostCount);
    assertEquals(3, gap.receivedCount);
  }

  @Test
  void shouldStartOverWithoutLossWhenTheNumbersJumpBeyondTheBound() {
    TransitGap gap = feed(5000, 5001, 5001 + TransitGap.MAX_JUMP + 1, 10);
    gap.flush();
    gap.flush();
    assertEquals(0, gap.lostCount);
    assertEquals(2, gap.resyncs);
    assertEquals(4, gap.receivedCount);
  }

  @Test
  void shouldStartMidStreamWithoutLossWhenTheFirstNumberSeenIsLarge() {
    TransitGap gap = feed(100_000, 100_001);
    gap.flush();
    gap.flush();
    assertEquals(0, gap.lostCount, "an agent that was running before this doppler started");
    gap.observe(99_999); // sent before the first one seen, reordered
    assertEquals(3, gap.receivedCount);
    assertEquals(0, gap.duplicates);
  }

  @Test
  void shouldBecomeIdleWhenNothingArrivesOverFlushes() {
    TransitGap gap = feed(0);
    gap.flush();
    gap.flush();
    gap.flush();
    assertEquals(2, gap.idleFlushes);
    gap.observe(1);
    gap.flush();
    assertEquals(0, gap.idleFlushes);
  }
}
