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
  private static final int COUNTER_EVENT_FIELD = 10;
  private static final byte DELTA_TAG = (byte) ProtobufWire.tag(2, ProtobufWire.VARINT);
  private static final byte TOTAL_TAG = (byte) ProtobufWire.tag(3, ProtobufWire.VARINT);

  private final EnvelopeFrame frame;
  private final byte[] nameField;

  private CounterEnvelopeWriter(Builder b) {
    frame = b.frame(COUNTER_EVENT_EVENT_TYPE, COUNTER_EVENT_FIELD);
    ByteArrayOutputStream name = new ByteArrayOutputStream();
    ProtobufWire.stringField(name, 1, b.name);
    nameField = name.toByteArray();
  }

  /**
   * Starts a writer for counter {@code name} in envelopes whose {@code origin} is {@code origin}.
   */
  public static Builder builder(String origin, String name) {
    return new Builder(origin, name);
  }

  /** Exact length of the envelope {@link #write} writes for these values. */
  public int encodedLength(long timestampNanos, long delta, long total) {
    return frame.length(timestampNanos, payloadLength(delta, total));
  }

  /**
   * Writes one envelope at {@code dst[offset]} and returns its length; {@code delta} and {@code
   * total} are uint64, so a negative long stands for a value of 2^63 or more.
   *
   * @throws IndexOutOfBoundsException if the envelope does not fit
   */
  public int write(byte[] dst, int offset, long timestampNanos, long delta, long total) {
    int payload = payloadLength(delta, total);
    Objects.checkFromIndexSize(offset, frame.length(timestampNanos, payload), dst.length);
    int p = frame.writeStart(dst, offset, timestampNanos, payload);
    System.arraycopy(nameField, 0, dst, p, nameField.length);
    p += nameField.length;
    dst[p++] = DELTA_TAG;
    p = ProtobufWire.writeVarint(delta, dst, p);
    dst[p++] = TOTAL_TAG;
    p = ProtobufWire.writeVarint(total, dst, p);
    return frame.writeEnd(dst, p) - offset;
  }

  private int payloadLength(long delta, long total) {
    return nameField.length
        + 1
        + ProtobufWire.varintSize(delta)
        + 1
        + ProtobufWire.varintSize(total);
  }

  /** Collects the fixed fields of a {@link CounterEnvelopeWriter}; null leaves a field absent. */
  public static final class Builder extends EnvelopeWriterBuilder<Builder> {
    private final String name;

    private Builder(String origin, String name) {
      super(origin);
      this.name = Objects.requireNonNull(name, "counter name");
    }

    @Override
    Builder self() {
      return this;
    }

    public CounterEnvelopeWriter build() {
      return new CounterEnvelopeWriter(this);
    }
  }
}
