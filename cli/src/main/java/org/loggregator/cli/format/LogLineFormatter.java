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
 * @param format the output format
 * @param zone the time zone of seed and modern times
 * @param appLabel the app as the user named it: the {@code <app>} of the seed format, and the
 *     {@code app_id} of JSON when the message carries none
 */
public record LogLineFormatter(OutputFormat format, ZoneId zone, String appLabel) {
  private static final DateTimeFormatter SEED_TIME =
      DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.US);
  private static final DateTimeFormatter MODERN_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSxx", Locale.US);
  private static final DateTimeFormatter JSON_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX", Locale.US);

  /** Appends the output lines of {@code log} to {@code out}, each ending with {@code \n}. */
  public void append(LogMessage log, StringBuilder out) {
    String text = log.getMessage().toString(StandardCharsets.UTF_8);
    if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - (text.endsWith("\r\n") ? 2 : 1));
    }
    Instant time = instant(log.getTimestamp());
    String prefix = prefix(log, time);
    int start = 0;
    while (true) {
      int newline = text.indexOf('\n', start);
      int end = newline < 0 ? text.length() : newline;
      int lineEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
      appendLine(prefix, text.substring(start, lineEnd), out);
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

  private String prefix(LogMessage log, Instant time) {
    boolean err = log.getMessageType() == LogMessage.MessageType.ERR;
    switch (format) {
      case SEED -> {
        return SEED_TIME.format(ZonedDateTime.ofInstant(time, zone))
            + " "
            + appLabel
            + " "
            + log.getSourceType()
            + "/"
            + log.getSourceInstance()
            + " "
            + (err ? "STDERR " : "");
      }
      case MODERN -> {
        return MODERN_TIME.format(ZonedDateTime.ofInstant(time, zone))
            + " ["
            + log.getSourceType().toUpperCase(Locale.ROOT)
            + "/"
            + log.getSourceInstance()
            + "] "
            + (err ? "ERR " : "OUT ");
      }
      default -> {
        StringBuilder json = new StringBuilder(160).append('{');
        Json.string(
                Json.member(json, "timestamp"),
                JSON_TIME.format(ZonedDateTime.ofInstant(time, ZoneOffset.UTC)))
            .append(',');
        Json.string(Json.member(json, "app_id"), log.hasAppId() ? log.getAppId() : appLabel)
            .append(',');
        Json.string(Json.member(json, "source_type"), log.getSourceType()).append(',');
        Json.string(Json.member(json, "source_instance"), log.getSourceInstance()).append(',');
        Json.string(Json.member(json, "message_type"), err ? "ERR" : "OUT").append(',');
        Json.member(json, "message");
        return json.toString();
      }
    }
  }

  private void appendLine(String prefix, String line, StringBuilder out) {
    out.append(prefix);
    if (format == OutputFormat.JSON) {
      Json.string(out, line).append('}');
    } else {
      out.append(line);
    }
    out.append('\n');
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
