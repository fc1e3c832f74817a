package org.loggregator.doppler.drain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A drain writer that records what it is given and fails or stalls when told to. */
final class FakeDrainWriter implements DrainWriter {
  final List<String> batches = new ArrayList<>();
  final AtomicInteger connects = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();
  volatile int connectFailures;
  volatile int writeFailures;
  volatile int rejections;
  volatile int errors;
  volatile Error error = new AssertionError("a bug in a writer");
  volatile IOException failure = new IOException("Connection refused");
  volatile CountDownLatch stall = new CountDownLatch(0);
  private final int maxFrames;

  FakeDrainWriter() {
    this(512);
  }

  FakeDrainWriter(int maxFrames) {
    this.maxFrames = maxFrames;
  }

  @Override
  public void connect() throws IOException {
    connects.incrementAndGet();
    if (connectFailures > 0) {
      connectFailures--;
      throw failure;
    }
  }

  @Override
  public void write(BatchBuffer batch) throws IOException {
    try {
      stall.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new java.io.InterruptedIOException();
    }
    if (writeFailures > 0) {
      writeFailures--;
      throw failure;
    }
    if (errors > 0) {
      errors--;
      throw error;
    }
    if (rejections > 0) {
      rejections--;
      throw new RejectedBatchException("The drain answered HTTP 400.");
    }
    synchronized (batches) {
      batches.add(new String(batch.array(), 0, batch.length(), StandardCharsets.UTF_8));
      batches.notifyAll();
    }
  }

  @Override
  public void close() {
    closes.incrementAndGet();
  }

  @Override
  public int maxBatchFrames() {
    return maxFrames;
  }

  /** Every message written so far, in order (the part after "- - ", without the newline). */
  List<String> messages() {
    List<String> messages = new ArrayList<>();
    synchronized (batches) {
      for (String batch : batches) {
        for (String line : batch.split("\n")) {
          messages.add(line.substring(line.indexOf("] - - ") + 6));
        }
      }
    }
    return messages;
  }

  /** Waits until at least {@code count} messages were written; false after 10 s. */
  boolean awaitMessages(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    synchronized (batches) {
      while (messages().size() < count) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        batches.wait(left);
      }
    }
    return true;
  }

  int batchCount() {
    synchronized (batches) {
      return batches.size();
    }
  }
}
