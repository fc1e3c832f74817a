package org.loggregator.protocol;

/**
 * The pre-encoded runs around one kind of envelope's timestamp and payload, in field-number order
 * as protobuf-java writes them: origin and eventType before, deployment, job, index, ip and tags
 * after. Immutable and thread-safe; writing allocates nothing.
 */
final class EnvelopeFrame {
  private static final byte TIMESTAMP_TAG = (byte) ProtobufWire.tag(6, ProtobufWire.VARINT);

  private final byte[] head;
  private final byte payloadTag;
  private final byte[] tail;

  EnvelopeFrame(byte[] head, int payloadField, byte[] tail) {
    this.head = head;
    this.payloadTag = (byte) ProtobufWire.tag(payloadField, ProtobufWire.LENGTH_DELIMITED);
    this.tail = tail;
  }

  /** Length of an envelope with this timestamp and a payload of {@code payloadLength} bytes. */
  int length(long timestampNanos, int payloadLength) {
    return head.length
        + 1
        + ProtobufWire.varintSize(timestampNanos)
        + 1
        + ProtobufWire.varintSize(payloadLength)
        + payloadLength
        + tail.length;
  }

  /**
   * Writes the head, the timestamp and the payload's tag and length at {@code dst[p]}; returns
   * where the payload goes.
   */
  int writeStart(byte[] dst, int p, long timestampNanos, int payloadLength) {
    System.arraycopy(head, 0, dst, p, head.length);
    p += head.length;
    dst[p++] = TIMESTAMP_TAG;
    p = ProtobufWire.writeVarint(timestampNanos, dst, p);
    dst[p++] = payloadTag;
    return ProtobufWire.writeVarint(payloadLength, dst, p);
  }

  /** Writes the fields after the payload at {@code dst[p]}; returns the offset after them. */
  int writeEnd(byte[] dst, int p) {
    System.arraycopy(tail, 0, dst, p, tail.length);
    return p + tail.length;
  }
}
