package org.loggregator.cli.client;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.loggregator.cli.CommandException;
import org.loggregator.cli.format.LogFilter;
import org.loggregator.protocol.RecentLogsQuery;
import org.loggregator.protocol.events.LogMessage;

/**
 * The seam of {@code logs APP --recent --follow}: the live stream is opened first and what it
 * delivers is held back; the recent logs are fetched and printed; then the held-back and later live
 * envelopes are printed, each unless it was among the recent logs. Nothing is printed twice and,
 * for one zone, nothing is missed. Thread-safe: {@link #printRecent} runs once on the tail's
 * thread, {@link #live} on the socket's, both under this object's monitor while they print.
 *
 * <p>An envelope is identified by its bytes: the doppler keeps and the controller forwards the
 * emitter's bytes unchanged, so the same envelope is the same bytes in the recent logs and on the
 * stream, and two envelopes that differ in any field (even only in a tag) are different lines.
 *
 * <p>The controller opens its own connections to the dopplers after it accepted the stream, so the
 * recent logs may be fetched a moment before the stream carries anything: lines that reach the
 * doppler in between would be in neither. So when nothing had come live before the recent logs were
 * asked for, the first live envelope (which proves the doppler's stream is open) first brings a
 * second fetch from the newest recent timestamp on, and whatever it holds before that envelope
 * (what follows it comes live as well) that was not printed is printed first.
 */
public final class RecentThenLive {
  /** How many live envelopes are held back while the recent logs are fetched, at most. */
  static final int MAX_HELD = 100_000;

  /** Fetches recent logs: the controller's {@code recentlogs} in production. */
  public interface RecentSource {
    /** The app's recent logs that {@code query} asks for, oldest first. */
    List<LogEnvelope> fetch(RecentLogsQuery query) throws CommandException, InterruptedException;
  }

  /** Prints one log line (or several, for a message of several lines). */
  public interface Printer {
    /** Prints {@code log}; false once the output cannot be written any more. */
    boolean print(LogMessage log);
  }

  private final RecentSource source;
  private final RecentLogsQuery query;
  private final LogFilter filter;
  private final int lines;
  private final Printer printer;
  private final PrintStream err;

  // Guarded by this.
  private final Map<ByteBuffer, Integer> seen = new HashMap<>();
  private Deque<byte[]> held = new ArrayDeque<>();
  private long dropped;
  private boolean liveBeforeFetch;
  private boolean checkGap;
  private long newest;
  private boolean outputOpen = true;

  /**
   * @param query what to fetch first (start time, server-side limit)
   * @param filter which lines are printed
   * @param lines how many of the filtered recent logs to print here (the last ones), or a negative
   *     number for all that were fetched
   * @param err where the count of envelopes dropped while holding back goes
   */
  public RecentThenLive(
      RecentSource source,
      RecentLogsQuery query,
      LogFilter filter,
      int lines,
      Printer printer,
      PrintStream err) {
    this.source = source;
    this.query = query;
    this.filter = filter;
    this.lines = lines;
    this.printer = printer;
    this.err = err;
    this.newest = query.startTime();
  }

  /**
   * Fetches and prints the recent logs, then what the stream delivered meanwhile; from then on
   * {@link #live} prints at once. Call once, after the stream is open.
   */
  public void printRecent() throws CommandException, InterruptedException {
    synchronized (this) {
      liveBeforeFetch = !held.isEmpty();
    }
    List<LogEnvelope> recent = source.fetch(query);
    synchronized (this) {
      List<LogEnvelope> printed = recent.stream().filter(e -> filter.accepts(e.log())).toList();
      if (lines >= 0 && printed.size() > lines) {
        printed = printed.subList(printed.size() - lines, printed.size());
      }
      for (LogEnvelope e : recent) {
        remember(e.bytes());
        newest = Math.max(newest, e.log().getTimestamp());
      }
      for (LogEnvelope e : printed) {
        print(e.log());
      }
      checkGap = !liveBeforeFetch;
      Deque<byte[]> waiting = held;
      held = null;
      if (dropped > 0) {
        err.println(
            dropped
                + " live log messages were dropped while the recent logs were fetched"
                + " (more than "
                + MAX_HELD
                + " came meanwhile).");
        err.flush();
      }
      while (!waiting.isEmpty()) {
        byte[] envelope = waiting.removeFirst();
        printLive(envelope, waiting);
      }
    }
  }

  /**
   * One envelope from the stream: held back until the recent logs are printed, then printed unless
   * it was among them.
   *
   * @return false once the output cannot be written any more
   */
  public synchronized boolean live(byte[] envelope) {
    if (held != null) {
      if (held.size() >= MAX_HELD) {
        held.removeFirst();
        dropped++;
      }
      held.addLast(envelope);
      return outputOpen;
    }
    printLive(envelope, List.of());
    return outputOpen;
  }

  /** Whether the output could still be written. */
  public synchronized boolean outputOpen() {
    return outputOpen;
  }

  private void printLive(byte[] envelope, Collection<byte[]> stillWaiting) {
    if (checkGap) {
      checkGap = false;
      printGap(envelope, stillWaiting);
    }
    if (forget(envelope)) {
      return; // printed (or passed over) as a recent log
    }
    LogEnvelope log = LogEnvelope.of(envelope);
    if (log != null && filter.accepts(log.log())) {
      print(log.log());
    }
  }

  /**
   * Prints what reached the doppler between the recent fetch and the opening of its stream: the
   * recent logs from the newest one printed on that come before {@code first} (the first live
   * envelope: what follows it comes live too) and were neither printed nor are coming live.
   */
  private void printGap(byte[] first, Collection<byte[]> stillWaiting) {
    List<LogEnvelope> again;
    try {
      again = source.fetch(new RecentLogsQuery(newest, RecentLogsQuery.NO_LIMIT));
    } catch (CommandException e) {
      err.println("Could not check for lines missed at the start of the tail: " + e.getMessage());
      err.flush();
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    ByteBuffer firstKey = ByteBuffer.wrap(first);
    LogEnvelope firstLog = LogEnvelope.of(first);
    boolean firstThere = again.stream().anyMatch(e -> firstKey.equals(ByteBuffer.wrap(e.bytes())));
    Set<ByteBuffer> coming = new HashSet<>();
    stillWaiting.forEach(b -> coming.add(ByteBuffer.wrap(b)));
    for (LogEnvelope e : again) {
      ByteBuffer key = ByteBuffer.wrap(e.bytes());
      if (firstThere
          ? key.equals(firstKey)
          : firstLog == null || e.log().getTimestamp() >= firstLog.log().getTimestamp()) {
        break; // from here on, the stream carries them
      }
      if (seen.containsKey(key) || coming.contains(key)) {
        continue;
      }
      remember(e.bytes());
      if (filter.accepts(e.log())) {
        print(e.log());
      }
    }
  }

  private void print(LogMessage log) {
    if (outputOpen && !printer.print(log)) {
      outputOpen = false;
    }
  }

  private void remember(byte[] envelope) {
    seen.merge(ByteBuffer.wrap(envelope), 1, Integer::sum);
  }

  /** Takes one occurrence of {@code envelope} off the recent ones; true if it was there. */
  private boolean forget(byte[] envelope) {
    ByteBuffer key = ByteBuffer.wrap(envelope);
    Integer count = seen.get(key);
    if (count == null) {
      return false;
    }
    if (count == 1) {
      seen.remove(key);
    } else {
      seen.put(key, count - 1);
    }
    return true;
  }
}
