package org.loggregator.cli.format;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.loggregator.protocol.events.LogMessage;

/**
 * Writes one LogMessage as output lines in one {@link OutputFormat}; immutable and thread-safe.
 *
 * <p>A message holding several lines gives one output line per line, each with the message's time,
 * source and type; one trailing newline (LF or CRLF) is not a line of its own. Seed and modern
 * times are in the formatter's zone; JSON times are UTC, RFC 3339 with nanoseconds.
 *
 * <p>Seed and modern lines are {@link TerminalText terminal-safe}: every field taken from the
 * message or the command line (the app, source type and instance, the text) is escaped, so the only
 * control sequences on a printed line are the formatter's own colours. JSON is escaped as JSON
 * ({@link Json}) and never coloured.
 *
 * @param format the output format
 * @param zone the time zone of seed and modern times
 * @param appLabel the app as the user named it: the {@code <app>} of the seed format, and the
 *     {@code app_id} of JSON when the message carries none
 * @param color whether seed and modern lines are coloured: ERR lines red, LGR notices bold yellow
 */
public record LogLineFormatter(OutputFormat format, ZoneId zone, String appLabel, boolean color) {
  private static final DateTimeFormatter SEED_TIME =
      DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.US);
  private static final DateTimeFormatter MODERN_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSxx", Locale.US);
  private static final DateTimeFormatter JSON_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX", Locale.US);

  /** Select Graphic Rendition: red, bold yellow, and back to normal. */
  static final String RED = "\u001b[31m";

  static final String NOTICE = "\u001b[1;33m";
  static final String RESET = "\u001b[0m";

  /** Without colour. */
  public LogLineFormatter(OutputFormat format, ZoneId zone, String appLabel) {
    this(format, zone, appLabel, false);
  }

  /** Appends the output lines of {@code log} to {@code out}, each ending with {@code \n}. */
  public void append(LogMessage log, StringBuilder out) {
    byte[] text = log.getMessage().toByteArray();
    int end = text.length;
    if (end > 0 && text[end - 1] == '\n') {
      end -= end > 1 && text[end - 2] == '\r' ? 2 : 1;
    }
    Instant time = instant(log.getTimestamp());
    String prefix = prefix(log, time);
    String colour = colour(log);
    int start = 0;
    while (true) {
      int newline = indexOf(text, (byte) '\n', start, end);
      int lineEnd = newline < 0 ? end : newline;
      if (lineEnd > start && text[lineEnd - 1] == '\r') {
        lineEnd--;
      }
      appendLine(prefix, colour, text, start, lineEnd, out);
      if (newline < 0) {
        return;
      }
      start = newline + 1;
    }
  }

  /** The output lines of {@code log}, each ending with {@code \n}. */
  public String format(LogMessage log) {
    StringBuilder out = new StringBuilder(128);
    append(log, out);
    return out.toString();
  }

  /** The colour a line of {@code log} starts with, or null when it is not coloured. */
  private String colour(LogMessage log) {
    if (!color || format == OutputFormat.JSON) {
      return null;
    }
    if ("LGR".equalsIgnoreCase(log.getSourceType())) {
      return NOTICE;
    }
    return log.getMessageType() == LogMessage.MessageType.ERR ? RED : null;
  }

  private String prefix(LogMessage log, Instant time) {
    boolean err = log.getMessageType() == LogMessage.MessageType.ERR;
    StringBuilder prefix = new StringBuilder(96);
    switch (format) {
      case SEED -> {
        prefix.append(SEED_TIME.format(ZonedDateTime.ofInstant(time, zone))).append(' ');
        TerminalText.append(appLabel, prefix).append(' ');
        TerminalText.append(log.getSourceType(), prefix).append('/');
        TerminalText.append(log.getSourceInstance(), prefix).append(' ');
        return prefix.append(err ? "STDERR " : "").toString();
      }
      case MODERN -> {
        prefix.append(MODERN_TIME.format(ZonedDateTime.ofInstant(time, zone))).append(" [");
        TerminalText.append(log.getSourceType().toUpperCase(Locale.ROOT), prefix).append('/');
        TerminalText.append(log.getSourceInstance(), prefix).append("] ");
        return prefix.append(err ? "ERR " : "OUT ").toString();
      }
      default -> {
        prefix.append('{');
        Json.string(
                Json.member(prefix, "timestamp"),
                JSON_TIME.format(ZonedDateTime.ofInstant(time, ZoneOffset.UTC)))
            .append(',');
        Json.string(Json.member(prefix, "app_id"), log.hasAppId() ? log.getAppId() : appLabel)
            .append(',');
        Json.string(Json.member(prefix, "source_type"), log.getSourceType()).append(',');
        Json.string(Json.member(prefix, "source_instance"), log.getSourceInstance()).append(',');
        Json.string(Json.member(prefix, "message_type"), err ? "ERR" : "OUT").append(',');
        Json.member(prefix, "message");
        return prefix.toString();
      }
    }
  }

  private void appendLine(
      String prefix, String colour, byte[] text, int from, int to, StringBuilder out) {
    if (colour != null) {
      out.append(colour);
    }
    out.append(prefix);
    if (format == OutputFormat.JSON) {
      // Invalid UTF-8 becomes U+FFFD: a JSON string holds characters, not bytes.
      Json.string(out, new String(text, from, to - from, StandardCharsets.UTF_8)).append('}');
    } else {
      TerminalText.appendUtf8(text, from, to, out);
    }
    if (colour != null) {
      out.append(RESET);
    }
    out.append('\n');
  }

  private static int indexOf(byte[] bytes, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
