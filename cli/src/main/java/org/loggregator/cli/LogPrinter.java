package org.loggregator.cli;

import java.io.PrintStream;
import org.loggregator.cli.client.LogMessageDecoder;
import org.loggregator.cli.format.LogFilter;
import org.loggregator.cli.format.LogLineFormatter;
import org.loggregator.protocol.events.LogMessage;

/**
 * Prints the log lines that pass a filter, formatted, flushing after each message. Callers print
 * from one thread at a time (the tail's socket thread, or under the seam's monitor).
 */
final class LogPrinter {
  private final PrintStream out;
  private final LogLineFormatter formatter;
  private final LogFilter filter;
  private final StringBuilder line = new StringBuilder(256);

  LogPrinter(PrintStream out, LogLineFormatter formatter, LogFilter filter) {
    this.out = out;
    this.formatter = formatter;
    this.filter = filter;
  }

  /**
   * Prints {@code log} if it passes the filter.
   *
   * @return false once the output cannot be written any more (such as {@code logs APP | head})
   */
  boolean print(LogMessage log) {
    if (filter.accepts(log)) {
      line.setLength(0);
      formatter.append(log, line);
      out.print(line);
      out.flush();
    }
    return !out.checkError();
  }

  /** Prints the envelope when it is a LogMessage that passes; skips any other envelope. */
  boolean print(byte[] envelope) {
    LogMessage log = LogMessageDecoder.decode(envelope);
    return log == null ? !out.checkError() : print(log);
  }
}
