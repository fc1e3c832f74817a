package org.loggregator.cli;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.loggregator.cli.format.LogFilter;
import org.loggregator.cli.format.TerminalText;
import org.loggregator.protocol.RecentLogsQuery;
import org.loggregator.protocol.events.LogMessage;

/**
 * What {@code logs APP} is asked to print, checked: the recent logs or not (and how many, from
 * when), the live ones or not, and which lines. Immutable.
 *
 * @param recent whether to print recent logs first
 * @param follow whether to go on with the live logs
 * @param lines the last N recent log messages, or {@link #ALL_LINES}
 * @param startTime the lowest timestamp of recent logs (UNIX ns), or {@link
 *     RecentLogsQuery#NO_START}
 * @param filter which lines are printed
 */
record ReadRequest(boolean recent, boolean follow, int lines, long startTime, LogFilter filter) {
  /** No --lines. */
  static final int ALL_LINES = -1;

  /** Checks the options of a command line; {@code now} is when relative times count back from. */
  static ReadRequest of(ReadCommand args, Instant now) throws CommandException {
    int lines = ALL_LINES;
    if (args.lines != null) {
      lines = lines(args.lines);
    }
    long startTime = RecentLogsQuery.NO_START;
    if (args.since != null) {
      startTime = startTime(args.since, now);
    }
    boolean recent = args.recent || args.lines != null || args.since != null;
    boolean follow = args.follow || !recent;
    return new ReadRequest(recent, follow, lines, startTime, filter(args));
  }

  /**
   * The query to send for the recent logs: the start time, and the limit unless lines are filtered
   * here (then the server cannot know which N to send, and all are asked for).
   */
  RecentLogsQuery query() {
    boolean serverLimits = lines != ALL_LINES && filter.isAll();
    return new RecentLogsQuery(startTime, serverLimits ? lines : RecentLogsQuery.NO_LIMIT);
  }

  /** How many of the filtered recent logs to print here, or {@link #ALL_LINES}. */
  int linesKeptHere() {
    return filter.isAll() ? ALL_LINES : lines;
  }

  static int lines(String text) throws CommandException {
    String t = text.trim();
    if (t.matches("[0-9]{1,5}")) {
      int n = Integer.parseInt(t);
      if (n <= RecentLogsQuery.MAX_LIMIT) {
        return n;
      }
    }
    throw CommandException.usage(
        "Option --lines must be a whole number from 0 to "
            + RecentLogsQuery.MAX_LIMIT
            + ", but is \""
            + TerminalText.escape(text)
            + "\".");
  }

  /**
   * The UNIX nanoseconds of a {@code --since} value: a duration back from {@code now} (30s, 10m,
   * 1h, 2d, 500ms) or an RFC 3339 time with an offset (2024-05-01T12:00:00Z, …+02:00, fractions
   * too).
   */
  static long startTime(String text, Instant now) throws CommandException {
    String t = text.trim();
    Instant from = null;
    Duration back = DurationText.parse(t, false);
    if (back != null) {
      from = now.minus(back);
    } else {
      try {
        from = OffsetDateTime.parse(t.toUpperCase(Locale.ROOT).replace(' ', 'T')).toInstant();
      } catch (DateTimeException e) {
        // refused below
      }
    }
    if (from == null || from.isBefore(Instant.EPOCH)) {
      throw CommandException.usage(
          "Option --since must be a duration back from now such as 30s, 10m, 1h or 2d, or an RFC"
              + " 3339 time after 1970 such as 2024-05-01T12:00:00Z, but is \""
              + TerminalText.escape(text)
              + "\".");
    }
    try {
      return Math.addExact(
          Math.multiplyExact(from.getEpochSecond(), 1_000_000_000L), from.getNano());
    } catch (ArithmeticException e) {
      throw CommandException.usage(
          "Option --since is too far in the future: give a time before the year 2262.");
    }
  }

  private static LogFilter filter(ReadCommand args) throws CommandException {
    Set<String> sources = new LinkedHashSet<>();
    for (String source : args.sources) {
      sources.add(word("--source", source).toUpperCase(Locale.ROOT));
    }
    Set<String> instances = new LinkedHashSet<>();
    for (String instance : args.instances) {
      instances.add(word("--instance", instance));
    }
    Set<LogMessage.MessageType> types = new LinkedHashSet<>();
    for (String type : args.types) {
      switch (type.trim().toLowerCase(Locale.ROOT)) {
        case "out" -> types.add(LogMessage.MessageType.OUT);
        case "err" -> types.add(LogMessage.MessageType.ERR);
        default ->
            throw CommandException.usage(
                "Option --type must be out or err, but is \"" + TerminalText.escape(type) + "\".");
      }
    }
    return new LogFilter(sources, instances, types);
  }

  private static String word(String option, String value) throws CommandException {
    if (value.isBlank()) {
      throw CommandException.usage("Option " + option + " is empty; give a value or leave it out.");
    }
    return value.trim();
  }
}
