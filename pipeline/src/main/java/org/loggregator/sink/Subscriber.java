package org.loggregator.sink;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.loggregator.protocol.LgrNotice;

/**
 * One live stream or firehose connection: its own bounded queue, filled by any thread through
 * {@link #offer} without waiting, and drained by one writer that sends one envelope at a time
 * through its {@link SubscriberTransport}. When the subscriber falls behind, the oldest envelopes
 * are dropped and counted, and before the next envelope it is sent the notice of docs/PROTOCOL.md,
 * LGR notices.
 *
 * <p>The writer runs on {@code executor} only while there is something to send; a completed send
 * continues on the thread that completed it, so an idle subscriber costs no thread and a busy one
 * costs one executor task per burst, not per envelope.
 *
 * <p>With a linger, a writer whose queue has just emptied waits that long once more before it lets
 * go. Envelopes offered meanwhile are sent when the wait ends, without waking anything: a steady
 * stream then costs the offering thread no wake-ups at all, and the writer one timed wait per batch
 * instead of one wake-up per envelope, for at most the linger of added latency.
 */
public final class Subscriber implements Sink, Consumer<Throwable> {
  private static final int IDLE = 0;
  private static final int SENDING = 1; // send() called and not yet returned
  private static final int WAITING = 2; // send() returned; completion still to come
  private static final int COMPLETED_INLINE = 3; // completed before send() returned

  private final ManyToOneDropOldestQueue queue;
  private final SubscriberTransport transport;
  private final Executor executor;
  private final SinkCounters counters;
  private final String appId;
  private final String origin;
  private final long lingerNanos;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicInteger sendState = new AtomicInteger(IDLE);
  private final Runnable drainTask = this::drain;
  private volatile boolean closed;
  private volatile long sendStartedNanos;

  /**
   * @param appId the app whose stream this is, or null for a firehose subscriber (its notices then
   *     carry no app id)
   * @param origin the origin of the notices it is sent
   */
  public Subscriber(
      int queueCapacity,
      SubscriberTransport transport,
      Executor executor,
      SinkCounters counters,
      String appId,
      String origin) {
    this(
        queueCapacity,
        ManyToOneDropOldestQueue.UNLIMITED_BYTES,
        transport,
        executor,
        counters,
        appId,
        origin,
        0);
  }

  /**
   * Like {@link #Subscriber(int, SubscriberTransport, Executor, SinkCounters, String, String)},
   * with a queue bounded by bytes too: an offer drops the oldest envelopes until the new one fits
   * both bounds (see {@link ManyToOneDropOldestQueue}), and the drops are counted and told like any
   * other; and with a writer that lingers {@code lingerNanos} each time its queue empties (0:
   * none). Only for an executor whose threads are the writer's own: the linger parks the thread
   * that runs it.
   *
   * @param queueBytes bytes of envelopes its queue holds ({@link
   *     ManyToOneDropOldestQueue#UNLIMITED_BYTES}: count alone)
   */
  public Subscriber(
      int queueCapacity,
      long queueBytes,
      SubscriberTransport transport,
      Executor executor,
      SinkCounters counters,
      String appId,
      String origin,
      long lingerNanos) {
    if (lingerNanos < 0) {
      throw new IllegalArgumentException("linger must not be negative: " + lingerNanos);
    }
    this.lingerNanos = lingerNanos;
    // Drops are counted as they happen: a subscriber that never reads again never gets a notice.
    this.queue = new ManyToOneDropOldestQueue(queueCapacity, queueBytes, counters.droppedEgress);
    this.transport = transport;
    this.executor = executor;
    this.counters = counters;
    this.appId = appId;
    this.origin = origin;
  }

  @Override
  public void offer(byte[] envelope) {
    if (closed) {
      return;
    }
    queue.offer(envelope);
    if (draining.compareAndSet(false, true)) {
      try {
        executor.execute(drainTask);
      } catch (RuntimeException rejected) {
        draining.set(false); // shutting down
      }
    }
  }

  private void drain() {
    boolean lingered = false;
    while (!closed) {
      byte[] next = nextToSend();
      if (next == null) {
        if (!lingered && !flushed()) {
          break;
        }
        if (lingerNanos > 0 && !lingered) {
          lingered = true;
          LockSupport.parkNanos(lingerNanos);
          continue;
        }
        draining.set(false);
        // An offer may have slipped in after the last poll and seen draining still true.
        if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      lingered = false;
      sendState.set(SENDING);
      sendStartedNanos = System.nanoTime();
      transport.send(next, this);
      if (sendState.compareAndSet(SENDING, WAITING)) {
        return; // accept() continues the loop when the send completes
      }
      // Completed inline: keep going on this thread.
    }
    draining.set(false);
  }

  /** Sends what the transport batched, watched like a send; false if the connection failed. */
  private boolean flushed() {
    sendStartedNanos = System.nanoTime();
    try {
      transport.flush();
      return true;
    } catch (IOException | RuntimeException e) {
      close(1011, "Sending failed.");
      return false;
    } finally {
      sendStartedNanos = 0;
    }
  }

  private byte[] nextToSend() {
    long dropped = queue.takeDropped();
    if (dropped > 0) {
      counters.notices.increment();
      return LgrNotice.envelope(
          origin,
          appId,
          LgrNotice.droppedMessages(dropped, transport.description()),
          LgrNotice.nowNanos());
    }
    return queue.poll();
  }

  /** Send completion: continues draining, inline or on the completing thread. */
  @Override
  public void accept(Throwable failure) {
    sendStartedNanos = 0;
    if (failure != null) {
      close(1011, "Sending failed.");
      return;
    }
    counters.sent.increment();
    if (sendState.compareAndSet(SENDING, COMPLETED_INLINE)) {
      return; // drain() is still on the stack and continues
    }
    sendState.set(IDLE);
    drain();
  }

  /**
   * How long the send in flight has been waiting, in nanoseconds at {@code nowNanos}; 0 when none
   * is: a subscriber that stopped reading shows a send that never completes.
   */
  public long sendStalledNanos(long nowNanos) {
    long started = sendStartedNanos;
    return started == 0 ? 0 : nowNanos - started;
  }

  /** Stops sending and closes the connection; later offers are ignored. */
  public void close(int code, String reason) {
    if (!closed) {
      closed = true;
      transport.close(code, reason);
    }
  }

  public boolean isClosed() {
    return closed;
  }

  /** Envelopes dropped from this subscriber's queue so far. */
  public long dropped() {
    return queue.droppedTotal();
  }

  public int queued() {
    return queue.size();
  }

  /** Bytes of the envelopes queued now. */
  public long queuedBytes() {
    return queue.bytes();
  }

  public String description() {
    return transport.description();
  }
}
