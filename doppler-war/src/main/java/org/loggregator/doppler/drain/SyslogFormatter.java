package org.loggregator.doppler.drain;

import java.nio.charset.StandardCharsets;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RoutingFields;

/**
 * Writes the syslog frame of a LogMessage envelope (docs/PROTOCOL.md, Syslog drains) straight from
 * the envelope's bytes into a {@link BatchBuffer}; not thread-safe, so each writer has its own. It
 * allocates nothing per envelope.
 *
 * <p>The frame is RFC 5424 in RFC 6587 octet counting: {@code LENGTH SP <PRI>1 TIMESTAMP HOSTNAME
 * APP-NAME PROCID - - MSG}. PRI is 14 (user.info) for OUT and 11 (user.err) for ERR; TIMESTAMP the
 * log's own, RFC 3339 UTC with microseconds; APP-NAME the app id; PROCID {@code [SOURCE_TYPE/
 * INSTANCE]} with the source type upper-cased. MSG is the message without NUL bytes, ending in
 * exactly one newline. Header fields keep to printable US-ASCII as RFC 5424 requires: any other
 * byte becomes {@code _}, and APP-NAME is cut at 48 bytes.
 */
public final class SyslogFormatter {
  /** The HOSTNAME written when none is configured. */
  public static final String DEFAULT_HOSTNAME = "loggregator";

  private static final int ERR = 2;
  private static final int MAX_APP_NAME = 48;
  private static final int MAX_PROCID_PART = 60;
  private static final int TIMESTAMP_LENGTH = 27; // 2013-10-03T22:09:26.000000Z

  private static final byte[] PRI_OUT = "<14>1 ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PRI_ERR = "<11>1 ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NIL_MSGID_SD = "] - - ".getBytes(StandardCharsets.US_ASCII);

  private final EnvelopeReader reader = new EnvelopeReader();
  private final RoutingFields fields = new RoutingFields();
  private final byte[] hostname;
  private final byte[] digits = new byte[10];

  /**
   * @param hostname the HOSTNAME field: 1 to 255 printable US-ASCII characters (see {@link
   *     #isValidHostname})
   */
  public SyslogFormatter(String hostname) {
    if (!isValidHostname(hostname)) {
      throw new IllegalArgumentException(
          "A syslog HOSTNAME must be 1 to 255 printable US-ASCII characters without spaces.");
    }
    this.hostname = hostname.getBytes(StandardCharsets.US_ASCII);
  }

  /** Whether {@code hostname} may be the HOSTNAME field: 1 to 255 of the bytes 33 to 126. */
  public static boolean isValidHostname(String hostname) {
    return hostname != null
        && !hostname.isEmpty()
        && hostname.length() <= 255
        && hostname.chars().allMatch(c -> c >= 33 && c <= 126);
  }

  /**
   * Appends the frame of one envelope.
   *
   * @return false, appending nothing, when the envelope is not a readable LogMessage
   */
  public boolean append(byte[] envelope, int offset, int length, BatchBuffer out) {
    if (reader.read(envelope, offset, length, fields) != ReadResult.OK
        || fields.eventType() != RoutingFields.LOG_MESSAGE) {
      return false;
    }
    byte[] buf = fields.buffer();
    int appIdLength = Math.min(fields.appIdLength(), MAX_APP_NAME);
    int typeLength = Math.min(fields.sourceTypeLength(), MAX_PROCID_PART);
    int instanceLength = Math.min(fields.sourceInstanceLength(), MAX_PROCID_PART);

    // MSG: drop NULs; trailing newlines (and NULs among them) give way to exactly one.
    int messageStart = Math.max(fields.messageOffset(), 0);
    int messageEnd = messageStart + fields.messageLength();
    while (messageEnd > messageStart && (buf[messageEnd - 1] == '\n' || buf[messageEnd - 1] == 0)) {
      messageEnd--;
    }
    int nuls = 0;
    for (int i = messageStart; i < messageEnd; i++) {
      if (buf[i] == 0) {
        nuls++;
      }
    }
    int frameLength =
        PRI_OUT.length
            + TIMESTAMP_LENGTH
            + 1
            + hostname.length
            + 1
            + Math.max(appIdLength, 1)
            + 1
            + 1 // [
            + typeLength
            + 1 // /
            + instanceLength
            + NIL_MSGID_SD.length
            + (messageEnd - messageStart - nuls)
            + 1; // the newline
    int lengthDigits = decimalDigits(frameLength);
    out.ensure(lengthDigits + 1 + frameLength);

    putDecimal(frameLength, lengthDigits, out);
    out.put((byte) ' ');
    out.put(fields.messageType() == ERR ? PRI_ERR : PRI_OUT, 0, PRI_OUT.length);
    putTimestamp(fields.logTimestamp(), out);
    out.put((byte) ' ');
    out.put(hostname, 0, hostname.length);
    out.put((byte) ' ');
    if (appIdLength == 0) {
      out.put((byte) '-');
    } else {
      putPrintable(fields.appIdBytes(), fields.appIdOffset(), appIdLength, false, out);
    }
    out.put((byte) ' ');
    out.put((byte) '[');
    putPrintable(buf, fields.sourceTypeOffset(), typeLength, true, out);
    out.put((byte) '/');
    putPrintable(buf, fields.sourceInstanceOffset(), instanceLength, false, out);
    out.put(NIL_MSGID_SD, 0, NIL_MSGID_SD.length);
    if (nuls == 0) {
      out.put(buf, messageStart, messageEnd - messageStart);
    } else {
      for (int i = messageStart; i < messageEnd; i++) {
        if (buf[i] != 0) {
          out.put(buf[i]);
        }
      }
    }
    out.put((byte) '\n');
    out.frameAdded();
    return true;
  }

  private static void putPrintable(
      byte[] source, int offset, int length, boolean upperCase, BatchBuffer out) {
    for (int i = 0; i < length; i++) {
      byte b = source[offset + i];
      if (b < 33 || b > 126) {
        b = '_';
      } else if (upperCase && b >= 'a' && b <= 'z') {
        b -= 'a' - 'A';
      }
      out.put(b);
    }
  }

  private static int decimalDigits(int n) {
    int digits = 1;
    while (n >= 10) {
      n /= 10;
      digits++;
    }
    return digits;
  }

  private void putDecimal(int n, int width, BatchBuffer out) {
    for (int i = width - 1; i >= 0; i--) {
      digits[i] = (byte) ('0' + n % 10);
      n /= 10;
    }
    out.put(digits, 0, width);
  }

  /** RFC 3339 in UTC with microseconds, from UNIX nanoseconds (civil date by Hinnant's method). */
  private void putTimestamp(long nanos, BatchBuffer out) {
    long seconds = Math.floorDiv(nanos, 1_000_000_000L);
    int micros = (int) (Math.floorMod(nanos, 1_000_000_000L) / 1000);
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);

    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long mp = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));

    putDecimal(year, 4, out);
    out.put((byte) '-');
    putDecimal(month, 2, out);
    out.put((byte) '-');
    putDecimal(day, 2, out);
    out.put((byte) 'T');
    putDecimal(secondOfDay / 3600, 2, out);
    out.put((byte) ':');
    putDecimal(secondOfDay / 60 % 60, 2, out);
    out.put((byte) ':');
    putDecimal(secondOfDay % 60, 2, out);
    out.put((byte) '.');
    putDecimal(micros, 6, out);
    out.put((byte) 'Z');
  }
}
