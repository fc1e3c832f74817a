package org.loggregator.agent.ingress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.loggregator.agent.lines.JavaStackTraceJoiner;
import org.loggregator.agent.lines.LineSplitter;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;

/**
 * Reads one output stream of the child (stdout or stderr) on its own thread, in chunks into one
 * reused buffer, and feeds the chunks to a {@link LineSplitter}; optionally copies each chunk to
 * the agent's own stream first (pass-through). It reads as fast as the child writes: everything
 * downstream of it drops rather than waits, so the child never blocks on the log system. (A
 * pass-through copy to an agent stream that itself blocks does block, as the child's own write
 * would.)
 *
 * <p>With stack-trace joining, a held line is flushed once the pipe has stayed empty for {@value
 * #LINGER_MILLIS} ms, checked with {@link InputStream#available()} every millisecond, so a trace
 * written line by line still goes out whole and a quiet child's last line is not held.
 */
public final class ChildOutputReader {

  /** How long the pipe must stay empty before a held line is sent. */
  public static final int LINGER_MILLIS = 20;

  private static final int CHUNK = 64 * 1024;

  private final InputStream in;
  private final OutputStream passThrough;
  private final LineSplitter splitter;
  private final JavaStackTraceJoiner joiner;
  private final AgentCounters counters;
  private final Thread thread;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile IOException failure;

  /**
   * @param passThrough where to copy the raw output too; null for nowhere
   * @param joiner the joiner between {@code splitter} and the publisher; null without joining
   */
  public ChildOutputReader(
      String name,
      InputStream in,
      OutputStream passThrough,
      LineSplitter splitter,
      JavaStackTraceJoiner joiner,
      AgentCounters counters) {
    this.in = in;
    this.passThrough = passThrough;
    this.splitter = splitter;
    this.joiner = joiner;
    this.counters = counters;
    this.thread = new Thread(this::run, "agent-child-" + name);
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Waits up to {@code millis} for the stream to end; true if it did. */
  public boolean awaitEnd(long millis) throws InterruptedException {
    return done.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Why reading stopped before the end of the stream, or null. */
  public IOException failure() {
    return failure;
  }

  private void run() {
    byte[] buf = new byte[CHUNK];
    OutputStream copy = passThrough;
    long lines = 0;
    long split = 0;
    long joined = 0;
    try {
      while (true) {
        if (joiner != null && joiner.isHolding() && !dataWithinLinger()) {
          joiner.flush();
        }
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        if (n == 0) {
          continue;
        }
        Instant now = Instant.now();
        counters.add(AgentCounter.CHILD_BYTES, n);
        if (copy != null) {
          try {
            copy.write(buf, 0, n);
            copy.flush();
          } catch (IOException e) {
            copy = null; // the agent's own stream is gone: stop copying, keep forwarding
          }
        }
        splitter.feed(buf, 0, n, now.getEpochSecond() * 1_000_000_000L + now.getNano());
        lines = report(AgentCounter.CHILD_LINES, splitter.lines(), lines);
        split = report(AgentCounter.SPLIT_LINES, splitter.splitLines(), split);
        if (joiner != null) {
          joined = report(AgentCounter.JOINED_LINES, joiner.joinedLines(), joined);
        }
      }
    } catch (IOException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      splitter.finish();
      if (joiner != null) {
        joiner.flush();
        report(AgentCounter.JOINED_LINES, joiner.joinedLines(), joined);
      }
      report(AgentCounter.CHILD_LINES, splitter.lines(), lines);
      report(AgentCounter.SPLIT_LINES, splitter.splitLines(), split);
      done.countDown();
    }
  }

  private long report(AgentCounter counter, long now, long before) {
    if (now != before) {
      counters.add(counter, now - before);
    }
    return now;
  }

  private boolean dataWithinLinger() throws IOException, InterruptedException {
    for (int waited = 0; waited < LINGER_MILLIS; waited++) {
      if (in.available() > 0) {
        return true;
      }
      Thread.sleep(1);
    }
    return in.available() > 0;
  }
}
