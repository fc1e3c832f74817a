package org.loggregator.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Protobuf wire types, and wire primitives for the envelope writers. */
final class ProtobufWire {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private ProtobufWire() {}

  /** Bytes a varint of {@code value} takes: 1 to 10 (negative int64 values take 10). */
  static int varintSize(long value) {
    int bits = 64 - Long.numberOfLeadingZeros(value | 1);
    return (bits + 6) / 7;
  }

  /** Writes {@code value} as a varint at {@code dst[offset]}; returns the offset after it. */
  static int writeVarint(long value, byte[] dst, int offset) {
    while ((value & ~0x7FL) != 0) {
      dst[offset++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    dst[offset++] = (byte) value;
    return offset;
  }

  /** Puts {@code value}, not negative, as a varint into {@code dst}, which must have room. */
  static void putVarint(int value, ByteBuffer dst) {
    while ((value & ~0x7F) != 0) {
      dst.put((byte) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    dst.put((byte) value);
  }

  static int tag(int field, int wireType) {
    return (field << 3) | wireType;
  }

  /** Startup-time encoding of a length-delimited field into {@code out}. */
  static void bytesField(ByteArrayOutputStream out, int field, byte[] content) {
    byte[] scratch = new byte[10];
    out.write(scratch, 0, writeVarint(tag(field, LENGTH_DELIMITED), scratch, 0));
    out.write(scratch, 0, writeVarint(content.length, scratch, 0));
    out.writeBytes(content);
  }

  static void stringField(ByteArrayOutputStream out, int field, String value) {
    if (value != null) {
      bytesField(out, field, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** One {@code map<string,string>} entry as protobuf writes it: key and value always present. */
  static byte[] mapEntry(String key, String value) {
    ByteArrayOutputStream entry = new ByteArrayOutputStream();
    bytesField(entry, 1, key.getBytes(StandardCharsets.UTF_8));
    bytesField(entry, 2, value.getBytes(StandardCharsets.UTF_8));
    return entry.toByteArray();
  }
}
