package org.loggregator.protocol;

import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * Encodes LogMessage envelopes of one source into a caller's byte array without allocating;
 * immutable and thread-safe.
 *
 * <p>Everything but the message bytes, the message type and the timestamp is fixed when the writer
 * is built (origin, app id, source type and instance, deployment, job, index, ip, tags) and encoded
 * once; {@link #write} then copies those pre-encoded runs around the per-envelope fields. The bytes
 * are exactly what protobuf-java writes for the same envelope (field-number order, tags in the
 * order they were added, then the optional extra tag), with the envelope timestamp equal to the log
 * timestamp.
 */
public final class LogEnvelopeWriter {

  /** {@code LogMessage.MessageType.OUT}: a line the app wrote to stdout. */
  public static final int OUT = 1;

  /** {@code LogMessage.MessageType.ERR}: a line the app wrote to stderr. */
  public static final int ERR = 2;

  private static final int LOG_MESSAGE_FIELD = 8;
  private static final byte MESSAGE_TAG = (byte) ProtobufWire.tag(1, ProtobufWire.LENGTH_DELIMITED);
  private static final byte MESSAGE_TYPE_TAG = (byte) ProtobufWire.tag(2, ProtobufWire.VARINT);
  private static final byte LOG_TIMESTAMP_TAG = (byte) ProtobufWire.tag(3, ProtobufWire.VARINT);
  private static final int TAGS_TAG = ProtobufWire.tag(17, ProtobufWire.LENGTH_DELIMITED);
  private static final byte ENTRY_KEY_TAG =
      (byte) ProtobufWire.tag(1, ProtobufWire.LENGTH_DELIMITED);
  private static final byte ENTRY_VALUE_TAG =
      (byte) ProtobufWire.tag(2, ProtobufWire.LENGTH_DELIMITED);

  private final EnvelopeFrame frame;
  private final byte[] payloadTail;

  private LogEnvelopeWriter(Builder b) {
    frame = b.frame(RoutingFields.LOG_MESSAGE, LOG_MESSAGE_FIELD);
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    ProtobufWire.stringField(tail, 4, b.appId);
    ProtobufWire.stringField(tail, 5, b.sourceType);
    ProtobufWire.stringField(tail, 6, b.sourceInstance);
    payloadTail = tail.toByteArray();
  }

  /** Starts a writer for envelopes whose {@code origin} is {@code origin}. */
  public static Builder builder(String origin) {
    return new Builder(origin);
  }

  /** Exact length of the envelope {@link #write} writes for these values, without an extra tag. */
  public int encodedLength(long timestampNanos, int messageLength) {
    return envelopeLength(timestampNanos, messageLength, 0);
  }

  /**
   * Exact length of the envelope {@link #write} writes, with the extra tag of these lengths that
   * {@link #appendTag} appends.
   */
  public int encodedLength(
      long timestampNanos, int messageLength, int extraTagKeyLength, int extraTagValueLength) {
    return envelopeLength(
        timestampNanos, messageLength, tagFieldLength(extraTagKeyLength, extraTagValueLength));
  }

  /**
   * Writes one envelope at {@code dst[offset]} and returns its length; the caller makes room for
   * {@link #encodedLength(long, int)} bytes, or {@link #encodedLength(long, int, int, int)} when an
   * extra tag is to follow ({@link #appendTag}).
   *
   * @param messageType {@link #OUT} or {@link #ERR}
   * @throws IndexOutOfBoundsException if a range is outside its array
   */
  public int write(
      byte[] dst,
      int offset,
      int messageType,
      long timestampNanos,
      byte[] message,
      int messageOffset,
      int messageLength) {
    if (messageType != OUT && messageType != ERR) {
      throw new IllegalArgumentException("message type must be OUT (1) or ERR (2): " + messageType);
    }
    Objects.checkFromIndexSize(messageOffset, messageLength, message.length);
    int payloadLength = payloadLength(timestampNanos, messageLength);
    int total = envelopeLength(timestampNanos, messageLength, 0);
    Objects.checkFromIndexSize(offset, total, dst.length);

    int p = frame.writeStart(dst, offset, timestampNanos, payloadLength);
    dst[p++] = MESSAGE_TAG;
    p = ProtobufWire.writeVarint(messageLength, dst, p);
    System.arraycopy(message, messageOffset, dst, p, messageLength);
    p += messageLength;
    dst[p++] = MESSAGE_TYPE_TAG;
    dst[p++] = (byte) messageType;
    dst[p++] = LOG_TIMESTAMP_TAG;
    p = ProtobufWire.writeVarint(timestampNanos, dst, p);
    System.arraycopy(payloadTail, 0, dst, p, payloadTail.length);
    p += payloadTail.length;
    p = frame.writeEnd(dst, p);
    return p - offset;
  }

  /**
   * Appends one more tag, after the fixed ones, to the envelope that {@link #write} wrote ending at
   * {@code dst[end]}: key {@code key} (all of it) and value {@code value[valueOffset, valueOffset +
   * valueLength)}. Tags are a field of the envelope itself, so the envelope and its tag are the
   * bytes protobuf-java writes for both. Returns the bytes appended.
   *
   * @throws IndexOutOfBoundsException if a range is outside its array
   */
  public static int appendTag(
      byte[] dst, int end, byte[] key, byte[] value, int valueOffset, int valueLength) {
    Objects.checkFromIndexSize(valueOffset, valueLength, value.length);
    int entryLength = tagEntryLength(key.length, valueLength);
    Objects.checkFromIndexSize(end, tagFieldLength(key.length, valueLength), dst.length);
    int p = ProtobufWire.writeVarint(TAGS_TAG, dst, end);
    p = ProtobufWire.writeVarint(entryLength, dst, p);
    dst[p++] = ENTRY_KEY_TAG;
    p = ProtobufWire.writeVarint(key.length, dst, p);
    System.arraycopy(key, 0, dst, p, key.length);
    p += key.length;
    dst[p++] = ENTRY_VALUE_TAG;
    p = ProtobufWire.writeVarint(valueLength, dst, p);
    System.arraycopy(value, valueOffset, dst, p, valueLength);
    p += valueLength;
    return p - end;
  }

  private int payloadLength(long timestampNanos, int messageLength) {
    return 1
        + ProtobufWire.varintSize(messageLength)
        + messageLength
        + 2 // message_type
        + 1
        + ProtobufWire.varintSize(timestampNanos)
        + payloadTail.length;
  }

  private int envelopeLength(long timestampNanos, int messageLength, int extraTagField) {
    return frame.length(timestampNanos, payloadLength(timestampNanos, messageLength))
        + extraTagField;
  }

  private static int tagFieldLength(int keyLength, int valueLength) {
    int entry = tagEntryLength(keyLength, valueLength);
    return ProtobufWire.varintSize(TAGS_TAG) + ProtobufWire.varintSize(entry) + entry;
  }

  /** The length of a tag's map entry: its key and value fields. */
  private static int tagEntryLength(int keyLength, int valueLength) {
    return 2
        + ProtobufWire.varintSize(keyLength)
        + keyLength
        + ProtobufWire.varintSize(valueLength)
        + valueLength;
  }

  /** Collects the fixed fields of a {@link LogEnvelopeWriter}; null leaves a field absent. */
  public static final class Builder extends EnvelopeWriterBuilder<Builder> {
    private String appId;
    private String sourceType;
    private String sourceInstance;

    private Builder(String origin) {
      super(origin);
    }

    @Override
    Builder self() {
      return this;
    }

    /** {@code logMessage.app_id}. */
    public Builder appId(String value) {
      appId = value;
      return this;
    }

    /** {@code logMessage.source_type}, such as {@code APP}. */
    public Builder sourceType(String value) {
      sourceType = value;
      return this;
    }

    /** {@code logMessage.source_instance}, such as {@code 0}. */
    public Builder sourceInstance(String value) {
      sourceInstance = value;
      return this;
    }

    public LogEnvelopeWriter build() {
      return new LogEnvelopeWriter(this);
    }
  }
}
