package org.loggregator.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads the routing fields of one dropsonde Envelope straight from its bytes; not thread-safe (it
 * keeps a cursor), so use one instance per thread.
 *
 * <p>It builds no protobuf objects and allocates nothing, and it never throws on any bytes: every
 * refusal is a {@link ReadResult}. It checks the envelope's own fields, its tag entries and the one
 * payload that {@code eventType} names; other payloads present are skipped unchecked. Unknown field
 * numbers are skipped by wire type, at envelope and payload level. A payload field that occurs
 * several times is merged, as protobuf does.
 *
 * <p>Stricter than protobuf-java, on purpose: a known field with the wrong wire type and any group
 * are {@link ReadResult#MALFORMED} (protobuf would keep them as unknown fields), and an unknown
 * {@code eventType} is {@link ReadResult#PAYLOAD_MISMATCH}.
 */
public final class EnvelopeReader {

  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private static final int FIRST_EVENT_TYPE = 4; // HttpStartStop
  private static final int LAST_EVENT_TYPE = 9; // ContainerMetric

  /** The envelope field number of each payload is its eventType number plus this. */
  private static final int PAYLOAD_FIELD_DELTA = 3;

  private static final int TAGS_FIELD = 17;

  /**
   * Per payload (index eventType - 4), per field number (index into the string): the wire type of
   * each known field ('V' varint, 'F' fixed64, 'L' length-delimited, '-' unknown).
   */
  private static final String[] PAYLOAD_WIRE_TYPES = {
    "-VVLVVLLLVV-LVLL", // HttpStartStop; 11 is reserved
    "-LVVLLL", // LogMessage
    "-LFL", // ValueMetric
    "-LVV", // CounterEvent
    "-LVL", // Error
    "-LVFVVVV", // ContainerMetric
  };

  /** Per payload, the bit mask (1 << field number) of its required fields. */
  private static final int[] PAYLOAD_REQUIRED = {
    bits(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    bits(1, 2, 3),
    bits(1, 2, 3),
    bits(1, 2),
    bits(1, 2, 3),
    bits(1, 2, 3, 4, 5),
  };

  private static final int UUID_REQUIRED = bits(1, 2);
  private static final int APPLICATION_ID_BIT = bits(12);

  private static final byte[] DRAIN_URLS = "drain_urls".getBytes(StandardCharsets.US_ASCII);

  private final int[] payloadCount = new int[LAST_EVENT_TYPE - FIRST_EVENT_TYPE + 1];
  private final int[] payloadStart = new int[payloadCount.length];
  private final int[] payloadEnd = new int[payloadCount.length];

  private byte[] buf;
  private int pos;
  private int limit;

  private long varint;
  private int fieldNumber;
  private int wireType;
  private int lengthOffset;
  private int lengthValue;

  private int payloadSeen;
  private int requestIdSeen;
  private int applicationIdSeen;
  private long applicationIdLow;
  private long applicationIdHigh;

  /** Creates a reader; keep it for the life of the thread that uses it. */
  public EnvelopeReader() {}

  /**
   * Reads the envelope in {@code buf[offset, offset + length)} into {@code into}, replacing what it
   * held. A null buffer or a range outside it gives {@link ReadResult#MALFORMED}.
   */
  public ReadResult read(byte[] buf, int offset, int length, RoutingFields into) {
    Objects.requireNonNull(into, "into");
    if (buf == null || offset < 0 || length < 0 || offset > buf.length - length) {
      into.clear(null);
      return ReadResult.MALFORMED;
    }
    into.clear(buf);
    this.buf = buf;
    try {
      return readEnvelope(offset, offset + length, into);
    } finally {
      this.buf = null;
    }
  }

  private ReadResult readEnvelope(int start, int end, RoutingFields into) {
    Arrays.fill(payloadCount, 0);
    boolean originSeen = false;
    boolean unknownEventType = false;
    int eventType = 0;
    pos = start;
    limit = end;
    ReadResult r;
    while (pos < limit) {
      if ((r = readTag()) != ReadResult.OK) {
        return r;
      }
      int field = fieldNumber;
      if (field == 1 || (field >= 13 && field <= 16)) { // origin; deployment, job, index, ip
        if ((r = readLengthDelimited()) != ReadResult.OK) {
          return r;
        }
        originSeen |= field == 1;
      } else if (field == 2) {
        if ((r = readVarintField()) != ReadResult.OK) {
          return r;
        }
        int value = (int) varint; // protobuf reads enums as int32
        if (value >= FIRST_EVENT_TYPE && value <= LAST_EVENT_TYPE) {
          eventType = value; // an unknown value never overwrites a known one, as in protobuf
        } else {
          unknownEventType = true;
        }
      } else if (field == 6) {
        if ((r = readVarintField()) != ReadResult.OK) {
          return r;
        }
        into.timestamp = varint;
      } else if (field >= FIRST_EVENT_TYPE + PAYLOAD_FIELD_DELTA
          && field <= LAST_EVENT_TYPE + PAYLOAD_FIELD_DELTA) {
        if ((r = readLengthDelimited()) != ReadResult.OK) {
          return r;
        }
        int i = field - PAYLOAD_FIELD_DELTA - FIRST_EVENT_TYPE;
        if (payloadCount[i]++ == 0) {
          payloadStart[i] = lengthOffset;
          payloadEnd[i] = lengthOffset + lengthValue;
        }
      } else if (field == TAGS_FIELD) {
        if ((r = readLengthDelimited()) != ReadResult.OK) {
          return r;
        }
        if ((r = readTagEntry(lengthOffset, lengthOffset + lengthValue, into)) != ReadResult.OK) {
          return r;
        }
      } else if ((r = skipField()) != ReadResult.OK) {
        return r;
      }
    }

    if (!originSeen || (eventType == 0 && !unknownEventType)) {
      return ReadResult.MISSING_REQUIRED;
    }
    if (eventType == 0) {
      return ReadResult.PAYLOAD_MISMATCH;
    }
    into.eventType = eventType;
    int i = eventType - FIRST_EVENT_TYPE;
    if (payloadCount[i] == 0) {
      return ReadResult.PAYLOAD_MISMATCH;
    }
    payloadSeen = 0;
    requestIdSeen = 0;
    applicationIdSeen = 0;
    if (payloadCount[i] == 1) {
      r = readPayload(eventType, payloadStart[i], payloadEnd[i], into);
    } else {
      r = readRepeatedPayload(eventType, payloadStart[i], end, into);
    }
    if (r != ReadResult.OK) {
      return r;
    }
    return finishPayload(eventType, into);
  }

  /**
   * Protobuf merges every occurrence of a message field, so walk them all in order. The top level
   * was already checked, so this second pass over it cannot fail there.
   */
  private ReadResult readRepeatedPayload(
      int eventType, int firstStart, int end, RoutingFields into) {
    int payloadField = eventType + PAYLOAD_FIELD_DELTA;
    // firstStart is past the first occurrence's tag and length; start the pass from it.
    ReadResult r =
        readPayload(eventType, firstStart, payloadEnd[eventType - FIRST_EVENT_TYPE], into);
    if (r != ReadResult.OK) {
      return r;
    }
    pos = payloadEnd[eventType - FIRST_EVENT_TYPE];
    limit = end;
    while (pos < limit) {
      readTag();
      if (fieldNumber == payloadField) {
        readLengthDelimited();
        int payloadEndAt = lengthOffset + lengthValue;
        if ((r = readPayload(eventType, lengthOffset, payloadEndAt, into)) != ReadResult.OK) {
          return r;
        }
        pos = payloadEndAt;
        limit = end;
      } else {
        skipField();
      }
    }
    return ReadResult.OK;
  }

  private ReadResult finishPayload(int eventType, RoutingFields into) {
    int required = PAYLOAD_REQUIRED[eventType - FIRST_EVENT_TYPE];
    if ((payloadSeen & required) != required) {
      return ReadResult.MISSING_REQUIRED;
    }
    if (eventType == RoutingFields.HTTP_START_STOP) {
      if ((requestIdSeen & UUID_REQUIRED) != UUID_REQUIRED) {
        return ReadResult.MISSING_REQUIRED;
      }
      if ((payloadSeen & APPLICATION_ID_BIT) != 0) {
        if ((applicationIdSeen & UUID_REQUIRED) != UUID_REQUIRED) {
          return ReadResult.MISSING_REQUIRED;
        }
        into.appIdFromUuid(applicationIdLow, applicationIdHigh);
      }
    }
    return ReadResult.OK;
  }

  private ReadResult readPayload(int eventType, int start, int end, RoutingFields into) {
    String wireTypes = PAYLOAD_WIRE_TYPES[eventType - FIRST_EVENT_TYPE];
    pos = start;
    limit = end;
    ReadResult r;
    while (pos < limit) {
      if ((r = readTag()) != ReadResult.OK) {
        return r;
      }
      int field = fieldNumber;
      char expected = field < wireTypes.length() ? wireTypes.charAt(field) : '-';
      if (expected == '-') {
        if ((r = skipField()) != ReadResult.OK) {
          return r;
        }
        continue;
      }
      if (expected == 'V') {
        r = readVarintField();
      } else if (expected == 'F') {
        r = readFixed64Field();
      } else {
        r = readLengthDelimited();
      }
      if (r != ReadResult.OK) {
        return r;
      }
      if ((r = capture(eventType, field, into)) != ReadResult.OK) {
        return r;
      }
    }
    return ReadResult.OK;
  }

  /**
   * Records one known payload field just read; marks it seen unless it is an unknown enum value.
   */
  private ReadResult capture(int eventType, int field, RoutingFields into) {
    if (eventType == RoutingFields.LOG_MESSAGE) {
      switch (field) {
        case 1 -> {
          into.messageOffset = lengthOffset;
          into.messageLength = lengthValue;
        }
        case 2 -> {
          int type = (int) varint;
          if (type != 1 && type != 2) {
            return ReadResult.OK; // unknown enum value: protobuf leaves the field unset
          }
          into.messageType = type;
        }
        case 3 -> into.logTimestamp = varint;
        case 4 -> into.appIdAt(lengthOffset, lengthValue);
        case 5 -> {
          into.sourceTypeOffset = lengthOffset;
          into.sourceTypeLength = lengthValue;
        }
        case 6 -> {
          into.sourceInstanceOffset = lengthOffset;
          into.sourceInstanceLength = lengthValue;
        }
        default -> {}
      }
    } else if (eventType == RoutingFields.CONTAINER_METRIC) {
      if (field == 1) {
        into.appIdAt(lengthOffset, lengthValue);
      }
    } else if (eventType == RoutingFields.HTTP_START_STOP) {
      switch (field) {
        case 3, 12 -> {
          ReadResult r = readUuid(field == 12, lengthOffset, lengthOffset + lengthValue);
          if (r != ReadResult.OK) {
            return r;
          }
        }
        case 4 -> {
          int peerType = (int) varint;
          if (peerType != 1 && peerType != 2) {
            return ReadResult.OK;
          }
        }
        case 5 -> {
          int method = (int) varint;
          if (method < 1 || method > 44) {
            return ReadResult.OK;
          }
        }
        default -> {}
      }
    }
    payloadSeen |= 1 << field;
    return ReadResult.OK;
  }

  private ReadResult readUuid(boolean applicationId, int start, int end) {
    int savedPos = pos;
    int savedLimit = limit;
    pos = start;
    limit = end;
    ReadResult r;
    while (pos < limit) {
      if ((r = readTag()) != ReadResult.OK) {
        return r;
      }
      int field = fieldNumber;
      if (field != 1 && field != 2) {
        if ((r = skipField()) != ReadResult.OK) {
          return r;
        }
        continue;
      }
      if ((r = readVarintField()) != ReadResult.OK) {
        return r;
      }
      if (applicationId) {
        applicationIdSeen |= 1 << field;
        if (field == 1) {
          applicationIdLow = varint;
        } else {
          applicationIdHigh = varint;
        }
      } else {
        requestIdSeen |= 1 << field;
      }
    }
    pos = savedPos;
    limit = savedLimit;
    return ReadResult.OK;
  }

  /** One {@code map<string,string>} entry: key 1, value 2; an absent key or value is "". */
  private ReadResult readTagEntry(int start, int end, RoutingFields into) {
    int savedPos = pos;
    int savedLimit = limit;
    pos = start;
    limit = end;
    int keyOffset = start;
    int keyLength = 0;
    int valueOffset = end;
    int valueLength = 0;
    ReadResult r;
    while (pos < limit) {
      if ((r = readTag()) != ReadResult.OK) {
        return r;
      }
      int field = fieldNumber;
      if (field == 1 || field == 2) {
        if ((r = readLengthDelimited()) != ReadResult.OK) {
          return r;
        }
        if (field == 1) {
          keyOffset = lengthOffset;
          keyLength = lengthValue;
        } else {
          valueOffset = lengthOffset;
          valueLength = lengthValue;
        }
      } else if ((r = skipField()) != ReadResult.OK) {
        return r;
      }
    }
    if (Arrays.equals(buf, keyOffset, keyOffset + keyLength, DRAIN_URLS, 0, DRAIN_URLS.length)) {
      into.drainUrlsOffset = valueOffset;
      into.drainUrlsLength = valueLength;
    }
    pos = savedPos;
    limit = savedLimit;
    return ReadResult.OK;
  }

  private ReadResult readTag() {
    ReadResult r = readVarint();
    if (r != ReadResult.OK) {
      return r;
    }
    long tag = varint;
    if ((tag >>> 32) != 0 || (tag >>> 3) == 0) {
      return ReadResult.MALFORMED;
    }
    fieldNumber = (int) (tag >>> 3);
    wireType = (int) tag & 7;
    return ReadResult.OK;
  }

  private ReadResult readVarintField() {
    return wireType == VARINT ? readVarint() : ReadResult.MALFORMED;
  }

  private ReadResult readFixed64Field() {
    return wireType == FIXED64 ? skipBytes(8) : ReadResult.MALFORMED;
  }

  private ReadResult readLengthDelimited() {
    return wireType == LENGTH_DELIMITED ? readLength() : ReadResult.MALFORMED;
  }

  private ReadResult skipField() {
    return switch (wireType) {
      case VARINT -> readVarint();
      case FIXED64 -> skipBytes(8);
      case LENGTH_DELIMITED -> readLength();
      case FIXED32 -> skipBytes(4);
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
    ReadResult r = readVarint();
    if (r != ReadResult.OK) {
      return r;
    }
    long n = varint;
    if (n < 0 || n > Integer.MAX_VALUE) {
      return ReadResult.MALFORMED;
    }
    if (n > limit - pos) {
      return ReadResult.TRUNCATED;
    }
    lengthOffset = pos;
    lengthValue = (int) n;
    pos += lengthValue;
    return ReadResult.OK;
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

  /** Class initialisation only: varargs allocate. */
  private static int bits(int... fields) {
    int mask = 0;
    for (int field : fields) {
      mask |= 1 << field;
    }
    return mask;
  }
}
