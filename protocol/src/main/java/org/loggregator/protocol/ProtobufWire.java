package org.loggregator.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Protobuf wire types; wire primitives for the envelope writers, and the envelope-level fields that
 * stay the same from envelope to envelope (origin, deployment, job, index, ip, tags), encoded once.
 */
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

  /**
   * The envelope fields an emitter sets once: written before ({@code origin}, {@code eventType})
   * and after (fields 13 to 17) the per-envelope timestamp and payload, in field-number order as
   * protobuf-java writes them.
   */
  static final class EnvelopeConstants {
    private final String origin;
    private String deployment;
    private String job;
    private String index;
    private String ip;
    private final Map<String, String> tags = new LinkedHashMap<>();

    EnvelopeConstants(String origin) {
      this.origin = Objects.requireNonNull(origin, "origin");
    }

    void deployment(String value) {
      deployment = value;
    }

    void job(String value) {
      job = value;
    }

    void index(String value) {
      index = value;
    }

    void ip(String value) {
      ip = value;
    }

    void tag(String key, String value) {
      tags.put(Objects.requireNonNull(key, "tag key"), Objects.requireNonNull(value, "tag value"));
    }

    /** origin (1) and eventType (2). */
    byte[] head(int eventType) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      stringField(out, 1, origin);
      out.write(ProtobufWire.tag(2, VARINT));
      out.write(eventType); // 4 to 9: one varint byte
      return out.toByteArray();
    }

    /** deployment (13), job (14), index (15), ip (16), then one entry of tags (17) per tag. */
    byte[] tail() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      stringField(out, 13, deployment);
      stringField(out, 14, job);
      stringField(out, 15, index);
      stringField(out, 16, ip);
      for (Map.Entry<String, String> e : tags.entrySet()) {
        bytesField(out, 17, mapEntry(e.getKey(), e.getValue()));
      }
      return out.toByteArray();
    }
  }
}
