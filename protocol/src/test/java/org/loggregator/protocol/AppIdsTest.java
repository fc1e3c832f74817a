package org.loggregator.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AppIdsTest {

  @Test
  void shouldPrintLowThenHighLittleEndianWhenFormattingUuid() {
    assertEquals("01000000-0000-0000-0200-000000000000", AppIds.uuidText(1, 2));
    assertEquals("39300000-0000-0000-3209-010000000000", AppIds.uuidText(12345, 67890));
    assertEquals("ffffffff-ffff-ffff-ffff-ffffffffffff", AppIds.uuidText(-1, -1));
    assertEquals(
        "efcdab89-6745-2301-1032-547698badcfe",
        AppIds.uuidText(0x0123456789abcdefL, 0xfedcba9876543210L));
  }

  @Test
  void shouldMatchAByteBufferRenderingWhenFormattingRandomUuids() {
    Random random = new Random(3);
    for (int i = 0; i < 1_000; i++) {
      long low = random.nextLong();
      long high = random.nextLong();
      byte[] bytes =
          ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(low).putLong(high).array();
      String hex = HexFormat.of().formatHex(bytes);
      String expected =
          String.join(
              "-",
              hex.substring(0, 8),
              hex.substring(8, 12),
              hex.substring(12, 16),
              hex.substring(16, 20),
              hex.substring(20));
      assertEquals(expected, AppIds.uuidText(low, high));
    }
  }

  @Test
  void shouldWriteAsciiAtTheOffsetWhenWritingIntoABuffer() {
    byte[] buffer = new byte[40];
    assertEquals(36, AppIds.writeUuidText(1, 2, buffer, 4));
    assertEquals(
        "01000000-0000-0000-0200-000000000000",
        new String(buffer, 4, 36, StandardCharsets.US_ASCII));
    assertEquals(0, buffer[3]);
  }

  @Test
  void shouldAcceptOnlyIdsReadersCanAskForWhenCheckingReadability() {
    for (String id :
        new String[] {"a", "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab", "ns:app_1.x", "x".repeat(128)}) {
      assertTrue(AppIds.isReadable(id), id);
    }
    for (String id :
        new String[] {
          "", ".", "..", "x".repeat(129), "a b", "a/b", "a%2F", "é", "a\nb", "a\u0000", "A;b", "a?b"
        }) {
      assertFalse(AppIds.isReadable(id), id);
    }
    assertFalse(AppIds.isReadable(null));
  }
}
