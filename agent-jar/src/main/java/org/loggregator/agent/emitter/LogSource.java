package org.loggregator.agent.emitter;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.loggregator.protocol.LogEnvelopeWriter;

/**
 * The log lines of one app instance, sent through an {@link Emitter} as LogMessage envelopes;
 * thread-safe and non-blocking like its emitter. Each call sends one envelope timestamped now; a
 * message longer than {@link Emitter#MAX_MESSAGE_BYTES} in UTF-8 goes in parts, tagged {@code
 * line_part} as the agent tags the parts of long lines ({@code 1}, {@code 2}, … {@code K/K}).
 */
public final class LogSource {

  private static final byte[] LINE_PART = "line_part".getBytes(StandardCharsets.US_ASCII);

  private final Emitter emitter;
  private final LogEnvelopeWriter writer;

  LogSource(Emitter emitter, String appId, String sourceType, String sourceInstance) {
    this.emitter = emitter;
    this.writer =
        LogEnvelopeWriter.builder(emitter.origin())
            .appId(Objects.requireNonNull(appId, "appId"))
            .sourceType(sourceType)
            .sourceInstance(sourceInstance)
            .build();
  }

  /** Sends a line the app wrote to stdout; false if (a part of) it was dropped. */
  public boolean out(CharSequence message) {
    return send(LogEnvelopeWriter.OUT, message);
  }

  /** Sends a line the app wrote to stderr; false if (a part of) it was dropped. */
  public boolean err(CharSequence message) {
    return send(LogEnvelopeWriter.ERR, message);
  }

  /** Sends {@code utf8[offset, offset + length)} as a stdout line; false if dropped. */
  public boolean out(byte[] utf8, int offset, int length) {
    return send(LogEnvelopeWriter.OUT, utf8, offset, length);
  }

  /** Sends {@code utf8[offset, offset + length)} as a stderr line; false if dropped. */
  public boolean err(byte[] utf8, int offset, int length) {
    return send(LogEnvelopeWriter.ERR, utf8, offset, length);
  }

  private boolean send(int type, CharSequence message) {
    Emitter.Scratch s = emitter.scratch();
    long now = Emitter.nowNanos();
    int chars = message.length();
    int from = 0;
    int part = 0;
    boolean all = true;
    do {
      int[] end = s.position;
      end[0] = from;
      int n = encodeUtf8(message, end, s.text);
      boolean last = end[0] >= chars;
      if (part == 0 && last) {
        return sendOne(s, type, now, s.text, 0, n, 0, true);
      }
      all &= sendOne(s, type, now, s.text, 0, n, ++part, last);
      from = end[0];
    } while (from < chars);
    return all;
  }

  private boolean send(int type, byte[] utf8, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, utf8.length);
    Emitter.Scratch s = emitter.scratch();
    long now = Emitter.nowNanos();
    if (length <= Emitter.MAX_MESSAGE_BYTES) {
      return sendOne(s, type, now, utf8, offset, length, 0, true);
    }
    boolean all = true;
    int part = 0;
    int end = offset + length;
    while (offset < end) {
      int n = Math.min(Emitter.MAX_MESSAGE_BYTES, end - offset);
      if (offset + n < end) {
        while (n > Emitter.MAX_MESSAGE_BYTES - 3 && (utf8[offset + n] & 0xC0) == 0x80) {
          n--;
        }
      }
      all &= sendOne(s, type, now, utf8, offset, n, ++part, offset + n >= end);
      offset += n;
    }
    return all;
  }

  private boolean sendOne(
      Emitter.Scratch s,
      int type,
      long now,
      byte[] message,
      int offset,
      int length,
      int part,
      boolean last) {
    int envelopeLength = writer.write(s.envelope, 0, type, now, message, offset, length);
    if (part != 0) {
      int v = decimal(part, s.partValue, 0);
      if (last) {
        s.partValue[v++] = '/';
        v = decimal(part, s.partValue, v);
      }
      envelopeLength +=
          LogEnvelopeWriter.appendTag(s.envelope, envelopeLength, LINE_PART, s.partValue, 0, v);
    }
    return emitter.send(s, envelopeLength);
  }

  /**
   * Encodes chars of {@code text} from {@code position[0]} as UTF-8 into {@code dst} until it is
   * full or the text ends, never splitting a character; moves {@code position[0]} past them and
   * returns the bytes written. A lone surrogate is written as {@code ?}, as String.getBytes does.
   */
  static int encodeUtf8(CharSequence text, int[] position, byte[] dst) {
    int i = position[0];
    int n = text.length();
    int p = 0;
    int limit = dst.length;
    while (i < n) {
      char c = text.charAt(i);
      if (c < 0x80) {
        if (p + 1 > limit) {
          break;
        }
        dst[p++] = (byte) c;
        i++;
      } else if (c < 0x800) {
        if (p + 2 > limit) {
          break;
        }
        dst[p++] = (byte) (0xC0 | (c >>> 6));
        dst[p++] = (byte) (0x80 | (c & 0x3F));
        i++;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (p + 4 > limit) {
          break;
        }
        int cp = Character.toCodePoint(c, text.charAt(i + 1));
        dst[p++] = (byte) (0xF0 | (cp >>> 18));
        dst[p++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
        dst[p++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
        dst[p++] = (byte) (0x80 | (cp & 0x3F));
        i += 2;
      } else if (Character.isSurrogate(c)) {
        if (p + 1 > limit) {
          break;
        }
        dst[p++] = '?';
        i++;
      } else {
        if (p + 3 > limit) {
          break;
        }
        dst[p++] = (byte) (0xE0 | (c >>> 12));
        dst[p++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
        dst[p++] = (byte) (0x80 | (c & 0x3F));
        i++;
      }
    }
    position[0] = i;
    return p;
  }

  private static int decimal(int value, byte[] dst, int at) {
    int digits = 1;
    for (int v = value; v >= 10; v /= 10) {
      digits++;
    }
    for (int i = at + digits - 1, v = value; i >= at; i--, v /= 10) {
      dst[i] = (byte) ('0' + v % 10);
    }
    return at + digits;
  }
}
