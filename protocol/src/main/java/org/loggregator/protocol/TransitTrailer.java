package org.loggregator.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The transit trailer (docs/PROTOCOL.md, Transit numbering): one length-delimited field, number
 * {@value #FIELD}, that an agent appends as the last bytes of an envelope it sends, so that the
 * doppler can count what was lost on the way. Stateless and thread-safe.
 *
 * <p>Its value is a version byte ({@value #VERSION}), the agent's epoch (8 bytes, big-endian: a
 * random number chosen when the agent starts, or when its table of apps fills), the app's sequence
 * number (4 bytes, big-endian, wrapping) and the agent's host name (0 to {@value #MAX_HOST_BYTES}
 * bytes of UTF-8). Dropsonde does not use the field number; protobuf readers keep it as an unknown
 * field, and the doppler cuts it off before anyone else sees the envelope.
 */
public final class TransitTrailer {

  /** The envelope field number of the trailer, far from dropsonde's 1 to 17. */
  public static final int FIELD = 1000;

  /** The only version this code writes and tracks; others are cut off but not tracked. */
  public static final int VERSION = 1;

  /** The longest host name a trailer carries; longer ones are cut. */
  public static final int MAX_HOST_BYTES = 32;

  /** Bytes of a version-1 value before the host name: version, epoch, sequence. */
  static final int FIXED_BYTES = 1 + 8 + 4;

  /** The longest trailer, tag and length included: the room a sender reserves after an envelope. */
  public static final int MAX_LENGTH = 2 + 1 + FIXED_BYTES + MAX_HOST_BYTES;

  private static final int TAG = (FIELD << 3) | ProtobufWire.LENGTH_DELIMITED;

  private TransitTrailer() {}

  /** The host name as a trailer carries it: its UTF-8, cut to {@value #MAX_HOST_BYTES} bytes. */
  public static byte[] hostBytes(String host) {
    byte[] utf8 = host.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_HOST_BYTES) {
      return utf8;
    }
    int end = MAX_HOST_BYTES;
    while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
      end--; // never cut inside a character
    }
    return java.util.Arrays.copyOf(utf8, end);
  }

  /**
   * The host name a doppler prints in notices and metric tags, from the trailer's host bytes {@code
   * buf[offset, offset + length)}: letters, digits, '.', '-' and '_' as they are, every other byte
   * as '?' (the name comes off the network: no control character, quote or brace gets through to a
   * terminal or the metrics text), and {@code unknown} when empty.
   */
  public static String printableHost(byte[] buf, int offset, int length) {
    if (length <= 0) {
      return "unknown";
    }
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      int c = buf[offset + i] & 0xFF;
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '-'
              || c == '_';
      out[i] = plain ? (char) c : '?';
    }
    return new String(out);
  }

  /** The host name as a doppler reads it from a trailer: cut as {@link #hostBytes} cuts it. */
  public static String hostText(String host) {
    return new String(hostBytes(host), StandardCharsets.UTF_8);
  }

  /**
   * Writes a trailer at {@code dst[at]}, which must have {@link #MAX_LENGTH} bytes of room; returns
   * how many bytes it wrote.
   *
   * @param host from {@link #hostBytes}, at most {@value #MAX_HOST_BYTES} bytes
   */
  public static int write(byte[] dst, int at, long epoch, int sequence, byte[] host) {
    int p = ProtobufWire.writeVarint(TAG, dst, at);
    dst[p++] = (byte) (FIXED_BYTES + host.length);
    dst[p++] = VERSION;
    for (int shift = 56; shift >= 0; shift -= 8) {
      dst[p++] = (byte) (epoch >>> shift);
    }
    for (int shift = 24; shift >= 0; shift -= 8) {
      dst[p++] = (byte) (sequence >>> shift);
    }
    System.arraycopy(host, 0, dst, p, host.length);
    return p + host.length - at;
  }

  /**
   * Reads the value {@code buf[offset, offset + length)} of a trailer into {@code into}; the field
   * starts at {@code fieldStart}. An unknown version is accepted and left untracked; a version-1
   * value of the wrong size is malformed.
   */
  static ReadResult read(byte[] buf, int fieldStart, int offset, int length, RoutingFields into) {
    into.transitStart = fieldStart;
    if (length < 1) {
      return ReadResult.MALFORMED;
    }
    if (buf[offset] != VERSION) {
      return ReadResult.OK;
    }
    if (length < FIXED_BYTES || length > FIXED_BYTES + MAX_HOST_BYTES) {
      return ReadResult.MALFORMED;
    }
    long epoch = 0;
    for (int i = 1; i <= 8; i++) {
      epoch = (epoch << 8) | (buf[offset + i] & 0xFF);
    }
    int sequence = 0;
    for (int i = 9; i <= 12; i++) {
      sequence = (sequence << 8) | (buf[offset + i] & 0xFF);
    }
    into.transitTracked = true;
    into.transitEpoch = epoch;
    into.transitSequence = sequence;
    into.transitHostOffset = offset + FIXED_BYTES;
    into.transitHostLength = length - FIXED_BYTES;
    return ReadResult.OK;
  }
}
