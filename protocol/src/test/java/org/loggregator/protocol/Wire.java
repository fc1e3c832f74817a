package org.loggregator.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-written protobuf wire bytes, for inputs no encoder would produce. */
final class Wire {

  private Wire() {}

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static byte[] varint(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((value & ~0x7FL) != 0) {
      out.write((int) (value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
    return out.toByteArray();
  }

  static byte[] tag(int field, int wireType) {
    return varint(((long) field << 3) | wireType);
  }

  static byte[] varintField(int field, long value) {
    return concat(tag(field, 0), varint(value));
  }

  static byte[] bytesField(int field, byte[] content) {
    return concat(tag(field, 2), varint(content.length), content);
  }

  static byte[] stringField(int field, String content) {
    return bytesField(field, content.getBytes(StandardCharsets.UTF_8));
  }

  /** A field of {@code wireType} (0, 1, 2 or 5) with some content. */
  static byte[] field(int field, int wireType) {
    return switch (wireType) {
      case 0 -> concat(tag(field, 0), varint(-1)); // longest varint: 10 bytes
      case 1 -> concat(tag(field, 1), new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) 0x80});
      // Opaque content that would be malformed if it were parsed: a group start and a bad tag.
      case 2 -> bytesField(field, new byte[] {0x0b, 0x00, (byte) 0xff, 0x07});
      case 5 -> concat(tag(field, 5), new byte[] {(byte) 0xff, 0, 0, 1});
      default -> throw new IllegalArgumentException("wire type " + wireType);
    };
  }
}
