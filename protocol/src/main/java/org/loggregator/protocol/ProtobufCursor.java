package org.loggregator.protocol;

/**
 * A cursor over protobuf wire-format bytes, {@code buf[pos, limit)}, that reads one tag or one
 * field value at a time; not thread-safe, and it allocates nothing.
 *
 * <p>Every read answers with a {@link ReadResult} and leaves what it read in the fields below: the
 * last tag's {@link #fieldNumber} and {@link #wireType}, the last varint, and where the last
 * length-delimited value lies. A read that is not {@link ReadResult#OK} leaves them undefined.
 */
final class ProtobufCursor {

  /** The bytes read; set by the caller for the duration of one read. */
  byte[] buf;

  /** The next byte to read. */
  int pos;

  /** The end of the message being read: no read goes past it. */
  int limit;

  /** The value of the last varint read, a tag's included. */
  long varint;

  /** The field number of the last tag read, at least 1. */
  int fieldNumber;

  /** The wire type of the last tag read (0 to 7). */
  int wireType;

  /** Where the value of the last length-delimited field starts in {@link #buf}. */
  int lengthOffset;

  /** The length of the value of the last length-delimited field. */
  int lengthValue;

  /** Reads {@code buf[start, end)} from its start. */
  void moveTo(int start, int end) {
    pos = start;
    limit = end;
  }

  /**
   * Reads the nested message {@code buf[start, end)}; returns what {@link #leave} needs to resume
   * the message around it.
   */
  long enter(int start, int end) {
    long saved = ((long) pos << 32) | (limit & 0xFFFF_FFFFL);
    moveTo(start, end);
    return saved;
  }

  /** Resumes the message that {@link #enter} left. */
  void leave(long saved) {
    moveTo((int) (saved >>> 32), (int) saved);
  }

  /** Reads a tag: a field number from 1 to 2^29 - 1 and a wire type. */
  ReadResult readTag() {
    ReadResult r = readVarintIn(1 << 3, 0xFFFF_FFFFL);
    if (r != ReadResult.OK) {
      return r;
    }
    fieldNumber = (int) (varint >>> 3);
    wireType = (int) varint & 7;
    return ReadResult.OK;
  }

  /** Reads the value of the field whose tag was just read, which must be a varint. */
  ReadResult readVarintField() {
    return wireType == ProtobufWire.VARINT ? readVarint() : ReadResult.MALFORMED;
  }

  /** Skips the value of the field whose tag was just read, which must be a fixed64. */
  ReadResult readFixed64Field() {
    return wireType == ProtobufWire.FIXED64 ? skipBytes(8) : ReadResult.MALFORMED;
  }

  /** Reads the length of the field whose tag was just read, which must be length-delimited. */
  ReadResult readLengthDelimited() {
    return wireType == ProtobufWire.LENGTH_DELIMITED ? readLength() : ReadResult.MALFORMED;
  }

  /** Skips the value of the field whose tag was just read, whatever its wire type but a group. */
  ReadResult skipField() {
    return switch (wireType) {
      case ProtobufWire.VARINT -> readVarint();
      case ProtobufWire.FIXED64 -> skipBytes(8);
      case ProtobufWire.LENGTH_DELIMITED -> readLength();
      case ProtobufWire.FIXED32 -> skipBytes(4);
      default -> ReadResult.MALFORMED; // 3 and 4 are groups, 6 and 7 do not exist
    };
  }

  private ReadResult skipBytes(int n) {
    if (limit - pos < n) {
      return ReadResult.TRUNCATED;
    }
    pos += n;
    return ReadResult.OK;
  }

  private ReadResult readLength() {
    ReadResult r = readVarintIn(0, Integer.MAX_VALUE);
    if (r != ReadResult.OK) {
      return r;
    }
    if (varint > limit - pos) {
      return ReadResult.TRUNCATED;
    }
    lengthOffset = pos;
    lengthValue = (int) varint;
    pos += lengthValue;
    return ReadResult.OK;
  }

  /** Reads a varint and refuses it as malformed unless it is in {@code [min, max]}. */
  private ReadResult readVarintIn(long min, long max) {
    ReadResult r = readVarint();
    if (r != ReadResult.OK) {
      return r;
    }
    return varint < min || varint > max ? ReadResult.MALFORMED : ReadResult.OK;
  }

  private ReadResult readVarint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        return ReadResult.TRUNCATED;
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        varint = result;
        return ReadResult.OK;
      }
    }
    return ReadResult.MALFORMED; // more than 10 bytes
  }
}
