package org.loggregator.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Text forms of application ids as dropsonde carries them. */
public final class AppIds {

  /** Length of the text form of a UUID, in characters (and in ASCII bytes). */
  public static final int UUID_TEXT_LENGTH = 36;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private AppIds() {}

  /**
   * Returns the text form of a dropsonde {@code UUID}: the 8 little-endian bytes of {@code low},
   * then those of {@code high}, in lowercase hex grouped 8-4-4-4-12. (This is not {@code
   * java.util.UUID#toString} of the same two longs: dropsonde orders the bytes little-endian.)
   */
  public static String uuidText(long low, long high) {
    byte[] text = new byte[UUID_TEXT_LENGTH];
    writeUuidText(low, high, text, 0);
    return new String(text, StandardCharsets.US_ASCII);
  }

  /**
   * Writes the text form of {@link #uuidText(long, long)} as 36 ASCII bytes into {@code dst} at
   * {@code offset}, without allocating, and returns 36.
   */
  public static int writeUuidText(long low, long high, byte[] dst, int offset) {
    Objects.checkFromIndexSize(offset, UUID_TEXT_LENGTH, dst.length);
    int p = offset;
    for (int i = 0; i < 16; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        dst[p++] = '-';
      }
      long word = i < 8 ? low : high;
      int b = (int) (word >>> (8 * (i & 7))) & 0xFF;
      dst[p++] = HEX[b >>> 4];
      dst[p++] = HEX[b & 0x0F];
    }
    return UUID_TEXT_LENGTH;
  }
}
