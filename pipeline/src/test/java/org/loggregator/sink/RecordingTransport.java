package org.loggregator.sink;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A fake connection for a {@link Subscriber}: records every envelope it is asked to send, in order,
 * and completes each send inline, on another thread, or never (a client that stopped reading), as
 * the test chooses.
 */
public final class RecordingTransport implements SubscriberTransport {

  /** How a send completes. */
  public enum Completion {
    /** Before {@code send} returns, on the writer's thread. */
    INLINE,
    /** Later, on the completer's thread. */
    ASYNC,
    /** Not until {@link #unstick} is called. */
    NEVER
  }

  private final List<byte[]> sends = Collections.synchronizedList(new ArrayList<>());
  private final AtomicReference<Consumer<Throwable>> pending = new AtomicReference<>();
  private final AtomicBoolean inFlight = new AtomicBoolean();
  private final AtomicInteger overlappingSends = new AtomicInteger();
  private final Executor completer;
  private final String description;
  private volatile Completion completion;
  private volatile Throwable failure;
  private volatile IOException flushFailure;
  private final AtomicInteger flushes = new AtomicInteger();
  private volatile int closeCode = -1;
  private volatile String closeReason;

  private RecordingTransport(Completion completion, Executor completer, String description) {
    this.completion = completion;
    this.completer = completer;
    this.description = description;
  }

  public static RecordingTransport inline(String description) {
    return new RecordingTransport(Completion.INLINE, null, description);
  }

  /** Completes every send on {@code completer}, never before {@code send} returns its task. */
  public static RecordingTransport async(Executor completer, String description) {
    return new RecordingTransport(Completion.ASYNC, completer, description);
  }

  public static RecordingTransport stuck(String description) {
    return new RecordingTransport(Completion.NEVER, null, description);
  }

  public static RecordingTransport of(Completion completion, Executor completer, String name) {
    return new RecordingTransport(completion, completer, name);
  }

  /** Makes every later send fail with {@code cause}, inline. */
  public void failWith(Throwable cause) {
    failure = cause;
  }

  /** Makes every later flush fail with {@code cause}. */
  public void failFlushWith(IOException cause) {
    flushFailure = cause;
  }

  /** Completes the send in flight, if any, and every later send inline. */
  public void unstick() {
    completion = Completion.INLINE;
    Consumer<Throwable> done = pending.getAndSet(null);
    if (done != null) {
      inFlight.set(false);
      done.accept(null);
    }
  }

  /** Completes the send in flight, if any, with {@code cause}. */
  public void failInFlight(Throwable cause) {
    Consumer<Throwable> done = pending.getAndSet(null);
    if (done != null) {
      inFlight.set(false);
      done.accept(cause);
    }
  }

  /** Stops completing sends, from the next one on. */
  public void stick() {
    completion = Completion.NEVER;
  }

  @Override
  public void send(byte[] envelope, Consumer<Throwable> done) {
    if (!inFlight.compareAndSet(false, true)) {
      overlappingSends.incrementAndGet();
    }
    sends.add(envelope);
    Throwable cause = failure;
    if (cause != null) {
      inFlight.set(false);
      done.accept(cause);
      return;
    }
    switch (completion) {
      case INLINE -> {
        inFlight.set(false);
        done.accept(null);
      }
      case ASYNC ->
          completer.execute(
              () -> {
                inFlight.set(false);
                done.accept(null);
              });
      case NEVER -> {
        if (!pending.compareAndSet(null, done)) {
          throw new AssertionError("A second send started while one was still in flight.");
        }
      }
    }
  }

  @Override
  public void flush() throws IOException {
    flushes.incrementAndGet();
    IOException cause = flushFailure;
    if (cause != null) {
      throw cause;
    }
  }

  /** How many times the writer flushed. */
  public int flushes() {
    return flushes.get();
  }

  @Override
  public void close(int code, String reason) {
    closeReason = reason;
    closeCode = code;
  }

  @Override
  public String description() {
    return description;
  }

  /** Every envelope a send was started for, in order, including one still in flight. */
  public List<byte[]> sends() {
    synchronized (sends) {
      return List.copyOf(sends);
    }
  }

  public int sendCount() {
    return sends.size();
  }

  /** How many sends started while another was still in flight: 0 when the contract holds. */
  public int overlappingSends() {
    return overlappingSends.get();
  }

  /** The close code, or -1 while open. */
  public int closeCode() {
    return closeCode;
  }

  public String closeReason() {
    return closeReason;
  }

  /** Waits until at least {@code count} sends were started; fails after ten seconds. */
  public void awaitSends(int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sends.size() < count) {
      if (System.nanoTime() - deadline > 0) {
        fail("Expected " + count + " sends to " + description + ", saw " + sends.size() + ".");
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
