package org.loggregator.agent.pods;

import org.loggregator.protocol.LogEnvelopeWriter;

/**
 * One line of a CRI container log file, {@code <timestamp> <stdout|stderr> <F|P> <message>}, parsed
 * in place without allocating; one instance per reading thread, reused for every line.
 *
 * <p>The timestamp is RFC 3339 with an optional fraction of up to 9 digits, in {@code Z} or a
 * {@code ±hh:mm} offset (as containerd and CRI-O write it, {@code 2024-05-01T10:00:00.123456789Z}).
 * The tag is {@code F} (the message ends a line) or {@code P} (a part: the line goes on in the next
 * one of the same stream), optionally followed by further {@code :}-separated tags, which are
 * ignored. The message is everything after the single space that follows the tag, and may be empty.
 * Anything else is not a CRI line: {@link #parse} says false and the fields are undefined.
 */
final class CriLine {

  /** The years whose UNIX nanoseconds fit a {@code long}. */
  private static final int MIN_YEAR = 1678;

  private static final int MAX_YEAR = 2261;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final int[] DAYS_IN_MONTH = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  private static final byte[] STDOUT = {'s', 't', 'd', 'o', 'u', 't'};
  private static final byte[] STDERR = {'s', 't', 'd', 'e', 'r', 'r'};

  /** {@link LogEnvelopeWriter#OUT} or {@link LogEnvelopeWriter#ERR}. */
  int messageType;

  /** Whether the message is a part that the next line of the same stream continues (tag P). */
  boolean partial;

  /** The timestamp, UNIX nanoseconds. */
  long timestampNanos;

  /** Where the message starts in the parsed array. */
  int messageOffset;

  /** The message's length in bytes, without the line's {@code \n}. */
  int messageLength;

  /**
   * Parses {@code b[offset, offset + length)}, one line without its {@code \n}; false when it is
   * not a CRI line.
   */
  boolean parse(byte[] b, int offset, int length) {
    int end = offset + length;
    int p = timestamp(b, offset, end);
    if (p < 0 || p >= end || b[p] != ' ') {
      return false;
    }
    p++;
    if (startsWith(b, p, end, STDOUT)) {
      messageType = LogEnvelopeWriter.OUT;
    } else if (startsWith(b, p, end, STDERR)) {
      messageType = LogEnvelopeWriter.ERR;
    } else {
      return false;
    }
    p += STDOUT.length;
    if (p + 1 >= end || b[p] != ' ') {
      return false;
    }
    p++;
    if (b[p] == 'F') {
      partial = false;
    } else if (b[p] == 'P') {
      partial = true;
    } else {
      return false;
    }
    p++;
    if (p < end && b[p] == ':') { // further tags, reserved by the CRI: skip them
      while (p < end && b[p] != ' ') {
        p++;
      }
    }
    if (p == end) { // an empty message, without the space before it
      messageOffset = end;
      messageLength = 0;
      return true;
    }
    if (b[p] != ' ') {
      return false;
    }
    messageOffset = p + 1;
    messageLength = end - messageOffset;
    return true;
  }

  /**
   * Reads the RFC 3339 timestamp at {@code b[p]} into {@link #timestampNanos}; returns the offset
   * after it, or -1 when there is none.
   */
  private int timestamp(byte[] b, int p, int end) {
    if (end - p < 20) { // 2006-01-02T15:04:05Z
      return -1;
    }
    int year = digits(b, p, 4);
    int month = digits(b, p + 5, 2);
    int day = digits(b, p + 8, 2);
    int hour = digits(b, p + 11, 2);
    int minute = digits(b, p + 14, 2);
    int second = digits(b, p + 17, 2);
    if (year < MIN_YEAR
        || year > MAX_YEAR
        || b[p + 4] != '-'
        || b[p + 7] != '-'
        || (b[p + 10] != 'T' && b[p + 10] != 't')
        || b[p + 13] != ':'
        || b[p + 16] != ':'
        || month < 1
        || month > 12
        || day < 1
        || day > DAYS_IN_MONTH[month - 1]
        || (month == 2 && day == 29 && !isLeap(year))
        || hour > 23
        || minute > 59
        || second > 59) {
      return -1;
    }
    p += 19;
    long nanos = 0;
    if (b[p] == '.') {
      p++;
      int fractionDigits = 0;
      while (p < end && b[p] >= '0' && b[p] <= '9') {
        if (++fractionDigits > 9) {
          return -1;
        }
        nanos = nanos * 10 + (b[p++] - '0');
      }
      if (fractionDigits == 0) {
        return -1;
      }
      for (int i = fractionDigits; i < 9; i++) {
        nanos *= 10;
      }
    }
    if (p >= end) {
      return -1;
    }
    int offsetSeconds;
    if (b[p] == 'Z' || b[p] == 'z') {
      offsetSeconds = 0;
      p++;
    } else if ((b[p] == '+' || b[p] == '-') && end - p >= 6 && b[p + 3] == ':') {
      int offsetHours = digits(b, p + 1, 2);
      int offsetMinutes = digits(b, p + 4, 2);
      if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) {
        return -1;
      }
      offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (b[p] == '-' ? -1 : 1);
      p += 6;
    } else {
      return -1;
    }
    long seconds =
        epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    timestampNanos = seconds * NANOS_PER_SECOND + nanos;
    return p;
  }

  /** The decimal number of {@code count} ASCII digits at {@code b[p]}, or -1. */
  private static int digits(byte[] b, int p, int count) {
    int value = 0;
    for (int i = 0; i < count; i++) {
      int d = b[p + i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }

  private static boolean isLeap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
  static long epochDay(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097L + dayOfEra - 719_468;
  }

  private static boolean startsWith(byte[] b, int p, int end, byte[] prefix) {
    if (end - p < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[p + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
