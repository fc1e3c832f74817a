package org.loggregator.agent.pods;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.loggregator.agent.lines.LineConsumer;
import org.loggregator.agent.lines.LineSplitter;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.protocol.LogEnvelopeWriter;

/**
 * Reads the new bytes of the files the {@link PodLogTailer} follows and passes on their lines: cuts
 * them at their newlines, parses each as a {@link CriLine} (one that is not is counted and
 * skipped), joins a P line with the lines of its stream up to the F line that ends it, and sends
 * each line to the publisher of its file's stream; a line longer than the read buffer is passed on
 * as it comes, and one longer than {@code maxLineBytes} in parts ({@link LineSplitter}). Used by
 * the tailer's thread only.
 *
 * <p>One read buffer of {@value #READ_BUFFER} bytes serves every file. A stream whose line is not
 * complete yet holds a {@link LineSplitter} of its own (a line's worth of memory), at most {@code
 * openJoins} at once; past that, a P line goes out unjoined, counted.
 */
final class PodLogReader {

  static final int READ_BUFFER = 128 * 1024;

  private static final int MAX_READ_PER_POLL = 1 << 20;

  private final int maxLineBytes;
  private final int maxOpenJoins;
  private final AgentCounters counters;
  private final byte[] buffer = new byte[READ_BUFFER + 1]; // + room for a last line's '\n'
  private final ByteBuffer window = ByteBuffer.wrap(buffer, 0, READ_BUFFER);
  private final CriLine line = new CriLine();
  private final Route route;
  private final LineSplitter whole;
  private int openJoins;

  /**
   * @param maxOpenJoins streams holding an incomplete line at once
   */
  PodLogReader(int maxLineBytes, int maxOpenJoins, AgentCounters counters) {
    this.maxLineBytes = maxLineBytes;
    this.maxOpenJoins = maxOpenJoins;
    this.counters = counters;
    this.route = new Route(counters);
    this.whole = new LineSplitter(maxLineBytes, route);
  }

  /**
   * Reads {@code f} from its position, up to {@value #MAX_READ_PER_POLL} bytes, and notes {@code
   * size} as read if it got to the end; with {@code atEnd}, a last line without its newline counts
   * as whole (the file will not grow any more).
   */
  void read(PodLogFile f, long size, boolean atEnd) throws IOException {
    long total = 0;
    while (total < MAX_READ_PER_POLL) {
      window.clear().limit(READ_BUFFER);
      int n = f.channel.read(window, f.position);
      if (n <= 0) {
        f.readSize = size;
        return;
      }
      int consumed = lines(f, n, atEnd);
      f.position += consumed;
      total += consumed;
      counters.add(AgentCounter.POD_BYTES, consumed);
      if (n < READ_BUFFER || consumed == 0) {
        f.readSize = size; // the end, or a line whose end is not written yet
        return;
      }
    }
    f.readSize = -1; // more to read next round
  }

  /** Passes on the incomplete lines {@code f} holds, as they are. */
  void finishJoins(PodLogFile f) {
    for (int type : new int[] {LogEnvelopeWriter.OUT, LogEnvelopeWriter.ERR}) {
      LineSplitter join = joinFor(f, type);
      if (join != null) {
        join.finish();
        f.setJoin(type, null);
        openJoins--;
      }
    }
    f.longLineType = 0;
  }

  /** Passes on the lines of {@code buffer[0, n)}; returns how many bytes it used. */
  private int lines(PodLogFile f, int n, boolean atEnd) {
    int start = 0;
    if (f.skipping || f.longLineType != 0) {
      int newline = indexOfNewline(0, n);
      if (f.longLineType != 0) {
        continueLongLine(f, newline < 0 ? n : newline, newline >= 0);
      }
      if (newline < 0) {
        return n;
      }
      f.skipping = false;
      start = newline + 1;
    }
    while (start < n) {
      int newline = indexOfNewline(start, n);
      if (newline < 0) {
        break;
      }
      line(f, start, newline);
      start = newline + 1;
    }
    if (start == 0 && n == READ_BUFFER) {
      startLongLine(f, n);
      return n;
    }
    if (atEnd && start < n) {
      buffer[n] = '\n';
      line(f, start, n);
      return n;
    }
    return start;
  }

  /** One line, {@code buffer[start, newline)}, {@code buffer[newline]} being its '\n'. */
  private void line(PodLogFile f, int start, int newline) {
    counters.increment(AgentCounter.POD_LINES);
    if (!line.parse(buffer, start, newline - start)) {
      counters.increment(AgentCounter.POD_MALFORMED_LINES);
      return;
    }
    int type = line.messageType;
    LineSplitter join = joinFor(f, type);
    if (join == null) {
      if (!line.partial) {
        whole.feed(buffer, line.messageOffset, line.messageLength + 1, line.timestampNanos);
        return;
      }
      join = openJoin(f, type);
      if (join == null) {
        counters.increment(AgentCounter.POD_UNJOINED_LINES);
        whole.feed(buffer, line.messageOffset, line.messageLength + 1, line.timestampNanos);
        return;
      }
    }
    int length = line.partial ? line.messageLength : line.messageLength + 1;
    join.feed(buffer, line.messageOffset, length, line.timestampNanos);
    releaseIfComplete(f, type, join);
  }

  /** A line longer than the buffer: passes on its start, and reads the rest as it comes. */
  private void startLongLine(PodLogFile f, int n) {
    counters.increment(AgentCounter.POD_LINES);
    if (!line.parse(buffer, 0, n)) {
      counters.increment(AgentCounter.POD_MALFORMED_LINES);
      f.skipping = true;
      return;
    }
    int type = line.messageType;
    LineSplitter join = joinFor(f, type);
    if (join == null) {
      join = openJoin(f, type);
    }
    if (join == null) {
      counters.increment(AgentCounter.POD_UNJOINED_LINES);
      f.skipping = true;
      return;
    }
    join.feed(buffer, line.messageOffset, line.messageLength, line.timestampNanos);
    f.longLineType = type;
    f.longLinePartial = line.partial;
    f.longLineTimestamp = line.timestampNanos;
  }

  /** More of a long line's message, {@code buffer[0, end)}; with {@code ends}, its last. */
  private void continueLongLine(PodLogFile f, int end, boolean ends) {
    int type = f.longLineType;
    LineSplitter join = joinFor(f, type);
    int length = ends && !f.longLinePartial ? end + 1 : end;
    join.feed(buffer, 0, length, f.longLineTimestamp);
    if (ends) {
      f.longLineType = 0;
      releaseIfComplete(f, type, join);
    }
  }

  /** The joiner of {@code f}'s stream, null if none is open; and routes lines to its publisher. */
  private LineSplitter joinFor(PodLogFile f, int type) {
    route.target = f.publisher(type);
    return f.join(type);
  }

  private LineSplitter openJoin(PodLogFile f, int type) {
    if (openJoins >= maxOpenJoins) {
      return null;
    }
    LineSplitter join = new LineSplitter(maxLineBytes, route);
    f.setJoin(type, join);
    openJoins++;
    return join;
  }

  private void releaseIfComplete(PodLogFile f, int type, LineSplitter join) {
    if (!join.hasPartialLine() && f.longLineType != type) {
      f.setJoin(type, null);
      openJoins--;
    }
  }

  private int indexOfNewline(int from, int to) {
    for (int i = from; i < to; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * The consumer behind every joiner: passes each line to the publisher the reader chose last,
   * counting the lines sent in parts.
   */
  private static final class Route implements LineConsumer {
    private final AgentCounters counters;
    LineConsumer target;

    Route(AgentCounters counters) {
      this.counters = counters;
    }

    @Override
    public void onLine(
        byte[] bytes, int offset, int length, long timestampNanos, int part, boolean lastPart) {
      if (part > 0 && lastPart) {
        counters.increment(AgentCounter.SPLIT_LINES);
      }
      target.onLine(bytes, offset, length, timestampNanos, part, lastPart);
    }
  }
}
