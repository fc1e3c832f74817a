package org.loggregator.doppler.drain;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.logging.Logger;
import org.loggregator.doppler.drain.address.DeniedAddressException;
import org.loggregator.retry.Backoff;
import org.loggregator.sink.ManyToOneDropOldestQueue;
import org.loggregator.sink.Sink;

/**
 * One binding of an app to a drain URL: its own bounded queue, filled by any thread through {@link
 * #offer} without waiting, and its own writer thread, the only one that does I/O for it. The writer
 * takes a batch from the queue, formats it, writes it and flushes once per batch. When the drain
 * falls behind or is down, the queue drops its oldest envelopes and counts them where they drop;
 * {@link #takeDropped} tells the registry how many, for the notice of docs/PROTOCOL.md, LGR
 * notices.
 *
 * <p>A failed connection or write is counted, told to the app (one notice per backoff step) and
 * retried after the {@link Backoff}'s wait; the batch in hand is kept and written after the
 * reconnection, unless it failed {@value #MAX_BATCH_ATTEMPTS} writes or the drain refused it. While
 * the drain is down, memory stays bounded by the queue's capacity and one batch.
 *
 * <p>The app is told only that its drain could not deliver, never why (refused, timed out, reset, a
 * certificate, an HTTP status), so that notices cannot map which ports answer; the operator's log
 * gets the reason, once per backoff step. A connection the address policy denied is the exception:
 * the app is told the class of address and its range, and the denial is counted by reason.
 */
public final class Drain implements Sink, Runnable {
  private static final Logger LOG = Logger.getLogger(Drain.class.getName());

  /**
   * Writes of one batch that may fail (other than by a refused connection) before it is given up
   * and counted as dropped.
   */
  static final int MAX_BATCH_ATTEMPTS = 3;

  /**
   * A batch holds at most this many bytes (or the writer's frame limit), unless one frame is more.
   */
  static final int MAX_BATCH_BYTES = 256 * 1024;

  private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String appId;
  private final DrainUrl url;
  private final DrainWriter writer;
  private final ManyToOneDropOldestQueue queue;
  private final SyslogFormatter formatter;
  private final Backoff retry;
  private final DrainCounters.PerScheme counters;
  private final BiConsumer<String, String> notices;
  private final BatchBuffer batch = new BatchBuffer(64 * 1024);
  private final AtomicLong droppedOutsideQueue = new AtomicLong();
  private volatile boolean closed;
  private volatile Thread thread;
  private volatile Throwable death;
  private int batchAttempts;
  private boolean connected;

  /**
   * A drain whose queue is bounded by count alone (tests and benchmarks).
   *
   * @param notices takes (app id, sentence) for the app's stream; called on the writer thread
   */
  public Drain(
      String appId,
      DrainUrl url,
      DrainWriter writer,
      int queueCapacity,
      SyslogFormatter formatter,
      Backoff retry,
      DrainCounters.PerScheme counters,
      BiConsumer<String, String> notices) {
    this(
        appId,
        url,
        writer,
        queueCapacity,
        ManyToOneDropOldestQueue.UNLIMITED_BYTES,
        formatter,
        retry,
        counters,
        notices);
  }

  /**
   * @param queueBytes bytes of envelopes its queue holds: an offer drops the oldest until the new
   *     one fits this and {@code queueCapacity}, counted like any other drop
   * @param notices takes (app id, sentence) for the app's stream; called on the writer thread
   */
  public Drain(
      String appId,
      DrainUrl url,
      DrainWriter writer,
      int queueCapacity,
      long queueBytes,
      SyslogFormatter formatter,
      Backoff retry,
      DrainCounters.PerScheme counters,
      BiConsumer<String, String> notices) {
    this.appId = appId;
    this.url = url;
    this.writer = writer;
    this.queue = new ManyToOneDropOldestQueue(queueCapacity, queueBytes, counters.dropped);
    this.formatter = formatter;
    this.retry = retry;
    this.counters = counters;
    this.notices = notices;
  }

  /** Starts the writer on a thread of {@code threads}. */
  public void start(ThreadFactory threads) {
    Thread t = threads.newThread(this);
    if (t == null) {
      throw new IllegalStateException("No thread for a drain writer.");
    }
    t.setName("drain-writer " + url.redacted());
    thread = t;
    t.start();
  }

  /** Queues a LogMessage envelope (the registry offers no other); see {@link Sink#offer}. */
  @Override
  public void offer(byte[] envelope) {
    if (closed) {
      return;
    }
    if (queue.offer(envelope)) {
      Thread t = thread;
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }

  /**
   * Writes until closed. Survives anything but a {@link VirtualMachineError}: a batch that makes
   * the writer or the formatter throw something unexpected is dropped (counted, told to the app),
   * and the drain goes on with the next; a VirtualMachineError ends the writer and is reported by
   * {@link #problem}.
   */
  @Override
  public void run() {
    thread = Thread.currentThread();
    try {
      while (!closed) {
        try {
          writeOnce();
        } catch (VirtualMachineError e) {
          death = e;
          throw e;
        } catch (Throwable e) { // NOPMD: one bad batch must not end the drain
          writer.close();
          connected = false;
          dropBatch();
          failed(e);
        }
      }
    } finally {
      writer.close();
    }
  }

  private void writeOnce() {
    if (batch.isEmpty() && !fillBatch()) {
      LockSupport.parkNanos(this, IDLE_PARK_NANOS);
      return;
    }
    if (!connected) {
      try {
        writer.connect();
        connected = true;
      } catch (IOException | RuntimeException e) {
        writer.close();
        failed(e);
        return;
      }
    }
    writeBatch();
  }

  /** Null while the writer runs (or the drain was closed); else what ended it. */
  public String problem() {
    Thread t = thread;
    if (closed || t == null || t.isAlive()) {
      return null;
    }
    Throwable died = death;
    return "the writer of drain "
        + url.redacted()
        + " of app "
        + appId
        + " ended"
        + (died == null ? "" : ": " + died);
  }

  private boolean fillBatch() {
    int maxFrames = writer.maxBatchFrames();
    while (batch.frames() < maxFrames && batch.length() < MAX_BATCH_BYTES) {
      byte[] envelope = queue.poll();
      if (envelope == null) {
        break;
      }
      formatter.append(envelope, 0, envelope.length, batch);
    }
    return !batch.isEmpty();
  }

  private void writeBatch() {
    try {
      writer.write(batch);
      counters.sent.add(batch.frames());
      batch.clear();
      batchAttempts = 0;
      retry.reset();
    } catch (DrainWriter.RejectedBatchException e) {
      dropBatch();
      failed(e);
    } catch (IOException | RuntimeException e) {
      writer.close();
      connected = false;
      if (closed) {
        return;
      }
      // A refused or denied connection never reached the drain: it does not count against the
      // batch.
      boolean reached = !(e instanceof ConnectException || e instanceof DeniedAddressException);
      if (reached && ++batchAttempts >= MAX_BATCH_ATTEMPTS) {
        dropBatch();
      }
      failed(e);
    }
  }

  private void dropBatch() {
    counters.dropped.add(batch.frames());
    droppedOutsideQueue.addAndGet(batch.frames());
    batch.clear();
    batchAttempts = 0;
  }

  /**
   * Counts a failure, tells the app and the operator's log, and waits out the next backoff step (or
   * until closed).
   */
  private void failed(Throwable e) {
    if (closed) {
      return;
    }
    Duration wait = retry.nextDelay();
    if (e instanceof DeniedAddressException denied) {
      counters.countDenial(denied.denial().reason());
      notices.accept(appId, DrainText.deniedNotice(url, denied));
      LOG.info(DrainText.deniedLine(appId, url, denied, wait));
    } else {
      counters.errors.increment();
      notices.accept(appId, DrainText.undeliveredNotice(url, wait));
      LOG.info(DrainText.failedLine(appId, url, e, wait));
    }
    long deadline = System.nanoTime() + wait.toNanos();
    long left;
    while (!closed && (left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(this, left);
    }
  }

  /** Stops the writer and closes the connection; queued envelopes are discarded. Any thread. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writer.close();
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
      if (t != Thread.currentThread()) {
        t.interrupt();
      }
    }
  }

  /** Waits for the writer thread to end, at most {@code millis}; true if it has. */
  public boolean awaitStopped(long millis) throws InterruptedException {
    Thread t = thread;
    if (t != null) {
      t.join(millis);
      return !t.isAlive();
    }
    return true;
  }

  /** Lines dropped since the last call (queue drops and given-up batches); resets the count. */
  public long takeDropped() {
    return queue.takeDropped() + droppedOutsideQueue.getAndSet(0);
  }

  public String appId() {
    return appId;
  }

  public DrainUrl url() {
    return url;
  }

  public int queued() {
    return queue.size();
  }

  public boolean isClosed() {
    return closed;
  }
}
