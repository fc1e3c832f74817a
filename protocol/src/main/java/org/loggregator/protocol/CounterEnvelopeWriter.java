package org.loggregator.protocol;

import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * Encodes CounterEvent envelopes of one counter into a caller's byte array without allocating;
 * immutable and thread-safe.
 *
 * <p>The origin, counter name and envelope fields (deployment, job, index, ip, tags) are fixed when
 * the writer is built; {@link #write} takes the timestamp, delta and total. The bytes are exactly
 * what protobuf-java writes for the same envelope, {@code total} always present.
 */
public final class CounterEnvelopeWriter {

  private static final int COUNTER_EVENT_EVENT_TYPE = 7;
  private static final byte TIMESTAMP_TAG = (byte) ProtobufWire.tag(6, ProtobufWire.VARINT);
  private static final byte COUNTER_EVENT_TAG =
      (byte) ProtobufWire.tag(10, ProtobufWire.LENGTH_DELIMITED);
  private static final byte DELTA_TAG = (byte) ProtobufWire.tag(2, ProtobufWire.VARINT);
  private static final byte TOTAL_TAG = (byte) ProtobufWire.tag(3, ProtobufWire.VARINT);

  private final byte[] head;
  private final byte[] nameField;
  private final byte[] envelopeTail;

  private CounterEnvelopeWriter(Builder b) {
    head = b.envelope.head(COUNTER_EVENT_EVENT_TYPE);
    ByteArrayOutputStream name = new ByteArrayOutputStream();
    ProtobufWire.stringField(name, 1, b.name);
    nameField = name.toByteArray();
    envelopeTail = b.envelope.tail();
  }

  /**
   * Starts a writer for counter {@code name} in envelopes whose {@code origin} is {@code origin}.
   */
  public static Builder builder(String origin, String name) {
    return new Builder(origin, name);
  }

  /** Exact length of the envelope {@link #write} writes for these values. */
  public int encodedLength(long timestampNanos, long delta, long total) {
    int payload = payloadLength(delta, total);
    return head.length
        + 1
        + ProtobufWire.varintSize(timestampNanos)
        + 1
        + ProtobufWire.varintSize(payload)
        + payload
        + envelopeTail.length;
  }

  /**
   * Writes one envelope at {@code dst[offset]} and returns its length; {@code delta} and {@code
   * total} are uint64, so a negative long stands for a value of 2^63 or more.
   *
   * @throws IndexOutOfBoundsException if the envelope does not fit
   */
  public int write(byte[] dst, int offset, long timestampNanos, long delta, long total) {
    int payload = payloadLength(delta, total);
    Objects.checkFromIndexSize(offset, encodedLength(timestampNanos, delta, total), dst.length);
    int p = offset;
    System.arraycopy(head, 0, dst, p, head.length);
    p += head.length;
    dst[p++] = TIMESTAMP_TAG;
    p = ProtobufWire.writeVarint(timestampNanos, dst, p);
    dst[p++] = COUNTER_EVENT_TAG;
    p = ProtobufWire.writeVarint(payload, dst, p);
    System.arraycopy(nameField, 0, dst, p, nameField.length);
    p += nameField.length;
    dst[p++] = DELTA_TAG;
    p = ProtobufWire.writeVarint(delta, dst, p);
    dst[p++] = TOTAL_TAG;
    p = ProtobufWire.writeVarint(total, dst, p);
    System.arraycopy(envelopeTail, 0, dst, p, envelopeTail.length);
    p += envelopeTail.length;
    return p - offset;
  }

  private int payloadLength(long delta, long total) {
    return nameField.length
        + 1
        + ProtobufWire.varintSize(delta)
        + 1
        + ProtobufWire.varintSize(total);
  }

  /** Collects the fixed fields of a {@link CounterEnvelopeWriter}; null leaves a field absent. */
  public static final class Builder {
    private final ProtobufWire.EnvelopeConstants envelope;
    private final String name;

    private Builder(String origin, String name) {
      envelope = new ProtobufWire.EnvelopeConstants(origin);
      this.name = Objects.requireNonNull(name, "counter name");
    }

    /** Envelope {@code deployment}. */
    public Builder deployment(String value) {
      envelope.deployment(value);
      return this;
    }

    /** Envelope {@code job}. */
    public Builder job(String value) {
      envelope.job(value);
      return this;
    }

    /** Envelope {@code index}. */
    public Builder index(String value) {
      envelope.index(value);
      return this;
    }

    /** Envelope {@code ip}. */
    public Builder ip(String value) {
      envelope.ip(value);
      return this;
    }

    /** One envelope tag, such as {@code direction=ingress}; written in the order added. */
    public Builder tag(String key, String value) {
      envelope.tag(key, value);
      return this;
    }

    public CounterEnvelopeWriter build() {
      return new CounterEnvelopeWriter(this);
    }
  }
}
