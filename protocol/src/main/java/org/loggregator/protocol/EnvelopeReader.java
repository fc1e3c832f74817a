package org.loggregator.protocol;

import static org.loggregator.protocol.PayloadSchema.FIRST_EVENT_TYPE;
import static org.loggregator.protocol.PayloadSchema.LAST_EVENT_TYPE;
import static org.loggregator.protocol.PayloadSchema.PAYLOAD_FIELD_DELTA;

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
 *
 * <p>One field number has a meaning of its own: {@value TransitTrailer#FIELD}, the {@link
 * TransitTrailer} an agent appends. It must be length-delimited and the envelope's last field, and
 * a version-1 value must have its size; anything else is {@link ReadResult#MALFORMED}. Its place
 * and values are recorded in {@link RoutingFields}.
 */
public final class EnvelopeReader {

  private static final int TAGS_FIELD = 17;

  private static final byte[] DRAIN_URLS = "drain_urls".getBytes(StandardCharsets.US_ASCII);

  private final ProtobufCursor in = new ProtobufCursor();
  private final PayloadReader payload = new PayloadReader(in);

  private final int[] payloadCount = new int[LAST_EVENT_TYPE - FIRST_EVENT_TYPE + 1];
  private final int[] payloadStart = new int[payloadCount.length];
  private final int[] payloadEnd = new int[payloadCount.length];

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
    in.buf = buf;
    try {
      return readEnvelope(offset, offset + length, into);
    } finally {
      in.buf = null;
    }
  }

  private ReadResult readEnvelope(int start, int end, RoutingFields into) {
    Arrays.fill(payloadCount, 0);
    boolean originSeen = false;
    boolean unknownEventType = false;
    int eventType = 0;
    in.moveTo(start, end);
    ReadResult r;
    while (in.pos < in.limit) {
      int fieldStart = in.pos;
      if ((r = in.readTag()) != ReadResult.OK) {
        return r;
      }
      int field = in.fieldNumber;
      if (field == TransitTrailer.FIELD) {
        if ((r = in.readLengthDelimited()) != ReadResult.OK) {
          return r;
        }
        if (in.pos != end) {
          return ReadResult.MALFORMED; // the trailer must be last, so that cutting it is exact
        }
        if ((r = TransitTrailer.read(in.buf, fieldStart, in.lengthOffset, in.lengthValue, into))
            != ReadResult.OK) {
          return r;
        }
      } else if (field == 1 || (field >= 13 && field <= 16)) { // origin; deployment, job, index, ip
        if ((r = in.readLengthDelimited()) != ReadResult.OK) {
          return r;
        }
        originSeen |= field == 1;
      } else if (field == 2) {
        if ((r = in.readVarintField()) != ReadResult.OK) {
          return r;
        }
        int value = (int) in.varint; // protobuf reads enums as int32
        if (value >= FIRST_EVENT_TYPE && value <= LAST_EVENT_TYPE) {
          eventType = value; // an unknown value never overwrites a known one, as in protobuf
        } else {
          unknownEventType = true;
        }
      } else if (field == 6) {
        if ((r = in.readVarintField()) != ReadResult.OK) {
          return r;
        }
        into.timestamp = in.varint;
      } else if (field >= FIRST_EVENT_TYPE + PAYLOAD_FIELD_DELTA
          && field <= LAST_EVENT_TYPE + PAYLOAD_FIELD_DELTA) {
        if ((r = in.readLengthDelimited()) != ReadResult.OK) {
          return r;
        }
        int i = field - PAYLOAD_FIELD_DELTA - FIRST_EVENT_TYPE;
        if (payloadCount[i]++ == 0) {
          payloadStart[i] = in.lengthOffset;
          payloadEnd[i] = in.lengthOffset + in.lengthValue;
        }
      } else if (field == TAGS_FIELD) {
        if ((r = in.readLengthDelimited()) != ReadResult.OK) {
          return r;
        }
        if ((r = readTagEntry(in.lengthOffset, in.lengthOffset + in.lengthValue, into))
            != ReadResult.OK) {
          return r;
        }
      } else if ((r = in.skipField()) != ReadResult.OK) {
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
    return payload.read(eventType, payloadCount[i], payloadStart[i], payloadEnd[i], end, into);
  }

  /** One {@code map<string,string>} entry: key 1, value 2; an absent key or value is "". */
  private ReadResult readTagEntry(int start, int end, RoutingFields into) {
    long outer = in.enter(start, end);
    int keyOffset = start;
    int keyLength = 0;
    int valueOffset = end;
    int valueLength = 0;
    ReadResult r;
    while (in.pos < in.limit) {
      if ((r = in.readTag()) != ReadResult.OK) {
        return r;
      }
      int field = in.fieldNumber;
      if (field == 1 || field == 2) {
        if ((r = in.readLengthDelimited()) != ReadResult.OK) {
          return r;
        }
        if (field == 1) {
          keyOffset = in.lengthOffset;
          keyLength = in.lengthValue;
        } else {
          valueOffset = in.lengthOffset;
          valueLength = in.lengthValue;
        }
      } else if ((r = in.skipField()) != ReadResult.OK) {
        return r;
      }
    }
    if (Arrays.equals(in.buf, keyOffset, keyOffset + keyLength, DRAIN_URLS, 0, DRAIN_URLS.length)) {
      into.drainUrlsOffset = valueOffset;
      into.drainUrlsLength = valueLength;
    }
    in.leave(outer);
    return ReadResult.OK;
  }
}
