package org.loggregator.protocol;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The optional query of {@code GET /apps/{appId}/recentlogs} on controllers and dopplers
 * (docs/PROTOCOL.md, Recent logs): {@value #START_TIME}, the lowest envelope timestamp kept, in
 * UNIX nanoseconds, and {@value #LIMIT}, how many of the newest envelopes are kept (at most {@value
 * #MAX_LIMIT}). Without either the answer is the whole buffer, as it always was. Immutable.
 *
 * @param startTime envelopes with a timestamp below it are left out; {@link #NO_START} for none
 * @param limit only this many of the newest are kept; {@link #NO_LIMIT} for all
 */
public record RecentLogsQuery(long startTime, int limit) {
  /** The query parameter of the lower bound on the envelope timestamp (UNIX nanoseconds). */
  public static final String START_TIME = "start_time";

  /** The query parameter of how many of the newest envelopes are kept. */
  public static final String LIMIT = "limit";

  /** The largest {@value #LIMIT}: the most a doppler keeps of one app. */
  public static final int MAX_LIMIT = 10_000;

  /** No lower bound on the timestamp. */
  public static final long NO_START = Long.MIN_VALUE;

  /** No limit on the count. */
  public static final int NO_LIMIT = 0;

  /** Everything: the answer without a query. */
  public static final RecentLogsQuery ALL = new RecentLogsQuery(NO_START, NO_LIMIT);

  /** At most 19 decimal digits: every value of a long, and nothing absurdly long. */
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");

  static final String BAD_START_TIME =
      "Query parameter "
          + START_TIME
          + " must be a whole number of nanoseconds since the UNIX epoch, from 0 to "
          + Long.MAX_VALUE
          + ".";
  static final String BAD_LIMIT =
      "Query parameter " + LIMIT + " must be a whole number from 1 to " + MAX_LIMIT + ".";

  public RecentLogsQuery {
    if (startTime != NO_START && startTime < 0) {
      throw new IllegalArgumentException(BAD_START_TIME);
    }
    if (limit < 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(BAD_LIMIT);
    }
  }

  /**
   * Reads the parameters this query knows from a raw query string (without {@code ?}); any other
   * parameter is left alone, as before these existed.
   *
   * @param rawQuery the query as it came, percent-encoded; null or empty for none
   * @throws IllegalArgumentException with one sentence naming the parameter, for a client: a value
   *     that is not a whole number in range (a sign, a fraction, too many digits, an overflow, an
   *     empty value), or a parameter given twice. The sentence never repeats the value.
   */
  public static RecentLogsQuery parse(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return ALL;
    }
    String startTime = null;
    String limit = null;
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = decodeOrNull(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      if (START_TIME.equals(name)) {
        startTime = once(startTime, START_TIME, value);
      } else if (LIMIT.equals(name)) {
        limit = once(limit, LIMIT, value);
      }
    }
    return new RecentLogsQuery(
        startTime == null ? NO_START : number(startTime, Long.MAX_VALUE, BAD_START_TIME),
        limit == null ? NO_LIMIT : (int) number(limit, MAX_LIMIT, BAD_LIMIT, 1));
  }

  /** Whether this is the query of an answer without parameters. */
  public boolean isAll() {
    return startTime == NO_START && limit == NO_LIMIT;
  }

  /**
   * The raw query string that asks for this ({@code start_time=…&limit=…}); empty for {@link #ALL}.
   */
  public String toQuery() {
    StringBuilder query = new StringBuilder();
    if (startTime != NO_START) {
      query.append(START_TIME).append('=').append(startTime);
    }
    if (limit != NO_LIMIT) {
      query.append(query.length() == 0 ? "" : "&").append(LIMIT).append('=').append(limit);
    }
    return query.toString();
  }

  /**
   * What this query keeps of envelopes already sorted by timestamp, oldest first: those at or after
   * the start time, and of them only the newest {@code limit}, still oldest first. Reads only the
   * timestamp of each envelope it looks at, from the end; an envelope that cannot be read counts as
   * timestamp 0.
   */
  public List<byte[]> select(List<byte[]> sortedByTimestamp) {
    if (isAll()) {
      return sortedByTimestamp;
    }
    EnvelopeReader reader = new EnvelopeReader();
    RoutingFields fields = new RoutingFields();
    int wanted = limit == NO_LIMIT ? Integer.MAX_VALUE : limit;
    List<byte[]> newestFirst = new ArrayList<>(Math.min(wanted, sortedByTimestamp.size()));
    for (int i = sortedByTimestamp.size() - 1; i >= 0 && newestFirst.size() < wanted; i--) {
      byte[] envelope = sortedByTimestamp.get(i);
      long timestamp =
          reader.read(envelope, 0, envelope.length, fields) == ReadResult.OK
              ? fields.timestamp()
              : 0;
      if (startTime != NO_START && timestamp < startTime) {
        break; // sorted: every earlier one is older still
      }
      newestFirst.add(envelope);
    }
    Collections.reverse(newestFirst);
    return newestFirst;
  }

  private static String once(String seen, String name, String value) {
    if (seen != null) {
      throw new IllegalArgumentException("Query parameter " + name + " may be given only once.");
    }
    String decoded = decodeOrNull(value);
    return decoded == null ? "" : decoded; // undecodable: refused as not a number
  }

  private static long number(String value, long max, String sentence) {
    return number(value, max, sentence, 0);
  }

  private static long number(String value, long max, String sentence, long min) {
    if (!DIGITS.matcher(value).matches()) {
      throw new IllegalArgumentException(sentence);
    }
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException overflow) {
      throw new IllegalArgumentException(sentence);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(sentence);
    }
    return n;
  }

  private static String decodeOrNull(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
