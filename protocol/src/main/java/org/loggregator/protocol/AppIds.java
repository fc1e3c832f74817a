package org.loggregator.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Text forms of application ids as dropsonde carries them. */
public final class AppIds {

  /** Length of the text form of a UUID, in characters (and in ASCII bytes). */
  public static final int UUID_TEXT_LENGTH = 36;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** The longest app id a reader can ask for, in characters (all ASCII). */
  public static final int MAX_READABLE_LENGTH = 128;

  private AppIds() {}

  /**
   * Whether {@code id} is an app id that readers can ask for: 1 to {@value #MAX_READABLE_LENGTH}
   * letters, digits or {@code . _ : -}, and not only dots: the one rule of the servers' routes
   * (edge's {@code RouteTable.validId} asks it) and of the agent's pod labels. A source that takes
   * app ids from elsewhere (such as a Kubernetes label) keeps only these, since lines under any
   * other id could never be read.
   */
  public static boolean isReadable(CharSequence id) {
    if (id == null || id.length() == 0 || id.length() > MAX_READABLE_LENGTH) {
      return false;
    }
    boolean onlyDots = true;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!allowed) {
        return false;
      }
      onlyDots &= c == '.';
    }
    return !onlyDots;
  }

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
