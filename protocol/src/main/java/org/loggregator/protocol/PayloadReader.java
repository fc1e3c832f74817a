package org.loggregator.protocol;

import static org.loggregator.protocol.PayloadSchema.APPLICATION_ID_BIT;
import static org.loggregator.protocol.PayloadSchema.PAYLOAD_FIELD_DELTA;
import static org.loggregator.protocol.PayloadSchema.UUID_REQUIRED;

/**
 * Reads the one payload of an envelope that its {@code eventType} names, for {@link EnvelopeReader}
 * and over its cursor; not thread-safe, and it allocates nothing.
 *
 * <p>It checks the wire type of every known field and that the required ones are present, merges
 * every occurrence of the payload as protobuf does, and records the routing fields it finds (of a
 * LogMessage, a ContainerMetric or an HttpStartStop) in {@link RoutingFields}. An unknown enum
 * value leaves its field unset, as in protobuf.
 */
final class PayloadReader {

  private final ProtobufCursor in;

  private int payloadSeen;
  private int requestIdSeen;
  private int applicationIdSeen;
  private long applicationIdLow;
  private long applicationIdHigh;

  /** Creates a reader of payloads over {@code in}, the cursor of the envelope reader. */
  PayloadReader(ProtobufCursor in) {
    this.in = in;
  }

  /**
   * Reads the payload of a known {@code eventType}, which occurs {@code occurrences} times (at
   * least once) in the envelope that ends at {@code envelopeEnd}; its first occurrence is {@code
   * in.buf[firstStart, firstEnd)}. The envelope's own fields were already checked.
   */
  ReadResult read(
      int eventType,
      int occurrences,
      int firstStart,
      int firstEnd,
      int envelopeEnd,
      RoutingFields into) {
    payloadSeen = 0;
    requestIdSeen = 0;
    applicationIdSeen = 0;
    ReadResult r = readOccurrence(eventType, firstStart, firstEnd, into);
    if (r == ReadResult.OK && occurrences > 1) {
      r = readLaterOccurrences(eventType, firstEnd, envelopeEnd, into);
    }
    if (r != ReadResult.OK) {
      return r;
    }
    return finish(eventType, into);
  }

  /**
   * Protobuf merges every occurrence of a message field, so walk the rest of the envelope for them,
   * in order. The top level was already checked, so this second pass over it cannot fail there.
   */
  private ReadResult readLaterOccurrences(
      int eventType, int firstEnd, int envelopeEnd, RoutingFields into) {
    int payloadField = eventType + PAYLOAD_FIELD_DELTA;
    in.moveTo(firstEnd, envelopeEnd);
    while (in.pos < in.limit) {
      in.readTag();
      if (in.fieldNumber == payloadField) {
        in.readLengthDelimited();
        int payloadEndAt = in.lengthOffset + in.lengthValue;
        ReadResult r = readOccurrence(eventType, in.lengthOffset, payloadEndAt, into);
        if (r != ReadResult.OK) {
          return r;
        }
        in.moveTo(payloadEndAt, envelopeEnd);
      } else {
        in.skipField();
      }
    }
    return ReadResult.OK;
  }

  private ReadResult finish(int eventType, RoutingFields into) {
    int required = PayloadSchema.required(eventType);
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

  private ReadResult readOccurrence(int eventType, int start, int end, RoutingFields into) {
    String wireTypes = PayloadSchema.wireTypes(eventType);
    in.moveTo(start, end);
    ReadResult r;
    while (in.pos < in.limit) {
      if ((r = in.readTag()) != ReadResult.OK) {
        return r;
      }
      int field = in.fieldNumber;
      char expected = field < wireTypes.length() ? wireTypes.charAt(field) : '-';
      if (expected == '-') {
        if ((r = in.skipField()) != ReadResult.OK) {
          return r;
        }
        continue;
      }
      if (expected == 'V') {
        r = in.readVarintField();
      } else if (expected == 'F') {
        r = in.readFixed64Field();
      } else {
        r = in.readLengthDelimited();
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
          into.messageOffset = in.lengthOffset;
          into.messageLength = in.lengthValue;
        }
        case 2 -> {
          int type = (int) in.varint;
          if (type != 1 && type != 2) {
            return ReadResult.OK; // unknown enum value: protobuf leaves the field unset
          }
          into.messageType = type;
        }
        case 3 -> into.logTimestamp = in.varint;
        case 4 -> into.appIdAt(in.lengthOffset, in.lengthValue);
        case 5 -> {
          into.sourceTypeOffset = in.lengthOffset;
          into.sourceTypeLength = in.lengthValue;
        }
        case 6 -> {
          into.sourceInstanceOffset = in.lengthOffset;
          into.sourceInstanceLength = in.lengthValue;
        }
        default -> {}
      }
    } else if (eventType == RoutingFields.CONTAINER_METRIC) {
      if (field == 1) {
        into.appIdAt(in.lengthOffset, in.lengthValue);
      }
    } else if (eventType == RoutingFields.HTTP_START_STOP) {
      switch (field) {
        case 3, 12 -> {
          ReadResult r = readUuid(field == 12, in.lengthOffset, in.lengthOffset + in.lengthValue);
          if (r != ReadResult.OK) {
            return r;
          }
        }
        case 4 -> {
          int peerType = (int) in.varint;
          if (peerType != 1 && peerType != 2) {
            return ReadResult.OK;
          }
        }
        case 5 -> {
          int method = (int) in.varint;
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
    long outer = in.enter(start, end);
    ReadResult r;
    while (in.pos < in.limit) {
      if ((r = in.readTag()) != ReadResult.OK) {
        return r;
      }
      int field = in.fieldNumber;
      if (field != 1 && field != 2) {
        if ((r = in.skipField()) != ReadResult.OK) {
          return r;
        }
        continue;
      }
      if ((r = in.readVarintField()) != ReadResult.OK) {
        return r;
      }
      if (applicationId) {
        applicationIdSeen |= 1 << field;
        if (field == 1) {
          applicationIdLow = in.varint;
        } else {
          applicationIdHigh = in.varint;
        }
      } else {
        requestIdSeen |= 1 << field;
      }
    }
    in.leave(outer);
    return ReadResult.OK;
  }
}
