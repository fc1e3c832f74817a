package org.loggregator.agent.forward;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.TransitTrailer;

/**
 * A bounded, lossy ring of envelopes between many producer threads and exactly one consumer thread;
 * {@link #tryClaim} returns -1 rather than waits when the ring is full, and that -1 is the agent's
 * drop point, counted by the caller.
 *
 * <p>Memory is one byte array of a power-of-two capacity, allocated once; nothing is allocated per
 * envelope, and one int per 8 bytes of ring for record lengths. Records are variable-length and
 * 8-byte aligned: a 16-byte header (destination and app key; the length is in the side array),
 * {@value DatagramSignature#HMAC_LENGTH} bytes of room for the HMAC, the envelope, then {@value
 * TransitTrailer#MAX_LENGTH} bytes of room for the transit trailer the sender appends. A producer
 * claims room with one CAS on the tail, encodes the envelope in place and {@link #commit}s it by
 * publishing the record length; the consumer signs in place and sends straight from the ring, then
 * zeroes what it consumed and moves the head once per batch. The layout follows Agrona's
 * ManyToOneRingBuffer.
 */
public final class ManyToOneEnvelopeRing {

  /** Destination meaning "any doppler of the zone" (the forwarder picks them in turn). */
  public static final int ANY_DESTINATION = -1;

  private static final int PADDING = Integer.MIN_VALUE;
  private static final int ALIGNMENT = 8;
  private static final int DESTINATION_OFFSET = 4;
  private static final int APP_KEY_OFFSET = 8;
  private static final int HEADER_LENGTH = 16;

  /** Bytes of room each record keeps after its envelope, for the sender's transit trailer. */
  public static final int TRAILER_ROOM = TransitTrailer.MAX_LENGTH;

  /** The app key of envelopes the sender does not number (no app id, or not a log line). */
  public static final long NO_APP = 0;

  /** Bytes of a record before its envelope: header, then room for the HMAC. */
  public static final int ENVELOPE_OFFSET = HEADER_LENGTH + DatagramSignature.HMAC_LENGTH;

  /** The smallest capacity accepted. */
  public static final int MIN_CAPACITY = 1 << 16;

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
  private static final VarHandle KEY =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  // Record lengths live in their own int array, one slot per 8 bytes of ring: the JDK (22 and
  // later) refuses ordered or atomic access through a byte-array view, even aligned.
  private static final VarHandle LENGTH = MethodHandles.arrayElementVarHandle(int[].class);
  private static final VarHandle LONG = MethodHandles.arrayElementVarHandle(long[].class);

  // head, tail and the producers' cached head, each on its own cache lines.
  private static final int HEAD = 15;
  private static final int TAIL = 31;
  private static final int HEAD_CACHE = 47;

  /** Receives each envelope {@link #drain} takes; it may modify the record's bytes in place. */
  @FunctionalInterface
  public interface Handler {
    /**
     * One envelope: {@code buffer[envelopeOffset, envelopeOffset + envelopeLength)}, with {@value
     * DatagramSignature#HMAC_LENGTH} free bytes just before it for the HMAC and {@link
     * #TRAILER_ROOM} free bytes just after it for a transit trailer.
     *
     * @param appKey the key its producer gave its app, or {@link #NO_APP}
     */
    void onEnvelope(
        int destination, long appKey, byte[] buffer, int envelopeOffset, int envelopeLength);
  }

  private final byte[] buffer;
  private final int[] lengths;
  private final int capacity;
  private final int mask;
  private final int maxEnvelopeLength;
  private final long[] positions = new long[64];

  private volatile Thread consumer;
  private volatile boolean consumerParked;

  /**
   * Creates a ring of {@code capacity} bytes.
   *
   * @throws IllegalArgumentException unless capacity is a power of two of at least {@link
   *     #MIN_CAPACITY}
   */
  public ManyToOneEnvelopeRing(int capacity) {
    if (capacity < MIN_CAPACITY || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException(
          "The ring capacity must be a power of two of at least "
              + MIN_CAPACITY
              + " bytes, but is "
              + capacity
              + ".");
    }
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.buffer = new byte[capacity];
    this.lengths = new int[capacity / ALIGNMENT];
    this.maxEnvelopeLength = capacity / 8 - ENVELOPE_OFFSET - TRAILER_ROOM;
  }

  /** The capacity in bytes. */
  public int capacity() {
    return capacity;
  }

  /** The longest envelope a record can hold. */
  public int maxEnvelopeLength() {
    return maxEnvelopeLength;
  }

  /** Bytes currently claimed and not yet consumed, alignment and padding included. */
  public long usedBytes() {
    return (long) LONG.getVolatile(positions, TAIL) - (long) LONG.getVolatile(positions, HEAD);
  }

  /**
   * Claims room for an envelope of {@code envelopeLength} bytes for {@code destination} (an index
   * of the forwarder's routes, or {@link #ANY_DESTINATION}); never waits.
   *
   * @return the offset in {@link #buffer()} at which to write the envelope, then pass to {@link
   *     #commit} (or {@link #abort}); -1 when the ring has no room, which the caller counts
   * @throws IllegalArgumentException if the envelope is longer than {@link #maxEnvelopeLength()}
   */
  public int tryClaim(int destination, int envelopeLength) {
    return tryClaim(destination, NO_APP, envelopeLength);
  }

  /**
   * As {@link #tryClaim(int, int)}, for an envelope of the app whose key is {@code appKey}: a
   * 64-bit hash of its app id, never {@link #NO_APP}, by which the sender numbers the app's log
   * lines; {@link #NO_APP} for envelopes not numbered.
   */
  public int tryClaim(int destination, long appKey, int envelopeLength) {
    if (envelopeLength < 0 || envelopeLength > maxEnvelopeLength) {
      throw new IllegalArgumentException(
          "envelope length " + envelopeLength + " outside 0.." + maxEnvelopeLength);
    }
    int recordLength = ENVELOPE_OFFSET + envelopeLength + TRAILER_ROOM;
    int required = align(recordLength);
    int recordIndex = claim(required);
    if (recordIndex < 0) {
      return -1;
    }
    LENGTH.setRelease(lengths, recordIndex / ALIGNMENT, -recordLength);
    INT.set(buffer, recordIndex + DESTINATION_OFFSET, destination);
    KEY.set(buffer, recordIndex + APP_KEY_OFFSET, appKey);
    return recordIndex + ENVELOPE_OFFSET;
  }

  /** The ring's memory, into which producers write claimed envelopes. */
  public byte[] buffer() {
    return buffer;
  }

  /** Publishes the envelope written at {@code envelopeOffset} (from {@link #tryClaim}). */
  public void commit(int envelopeOffset) {
    int recordIndex = envelopeOffset - ENVELOPE_OFFSET;
    int recordLength = -(int) LENGTH.get(lengths, recordIndex / ALIGNMENT);
    LENGTH.setRelease(lengths, recordIndex / ALIGNMENT, recordLength);
    wakeConsumer();
  }

  /** Gives back a claimed record: the consumer skips it. */
  public void abort(int envelopeOffset) {
    int recordIndex = envelopeOffset - ENVELOPE_OFFSET;
    int recordLength = -(int) LENGTH.get(lengths, recordIndex / ALIGNMENT);
    INT.set(buffer, recordIndex + DESTINATION_OFFSET, PADDING);
    LENGTH.setRelease(lengths, recordIndex / ALIGNMENT, recordLength);
    wakeConsumer();
  }

  /**
   * Copies {@code src[offset, offset + length)} in as one envelope; false when the ring has no room
   * or the envelope is longer than {@link #maxEnvelopeLength()}.
   */
  public boolean offer(int destination, byte[] src, int offset, int length) {
    return offer(destination, NO_APP, src, offset, length);
  }

  /**
   * As {@link #offer(int, byte[], int, int)}, with the app key of {@link #tryClaim(int, long,
   * int)}.
   */
  public boolean offer(int destination, long appKey, byte[] src, int offset, int length) {
    if (length > maxEnvelopeLength) {
      return false;
    }
    int at = tryClaim(destination, appKey, length);
    if (at < 0) {
      return false;
    }
    System.arraycopy(src, offset, buffer, at, length);
    commit(at);
    return true;
  }

  /**
   * Consumer thread only: hands up to {@code limit} committed envelopes to {@code handler}, in
   * order, then releases their room; returns how many it handed over. It stops early at a record
   * that is claimed but not yet committed; at the end of the array it goes on from the start, so
   * that a call returns 0 only when nothing committed is waiting.
   */
  public int drain(Handler handler, int limit) {
    long before = (long) LONG.getOpaque(positions, HEAD);
    int count = drainToArrayEnd(handler, limit);
    long after = (long) LONG.getOpaque(positions, HEAD);
    if (count < limit && after != before && ((int) after & mask) == 0) {
      count += drainToArrayEnd(handler, limit - count);
    }
    return count;
  }

  private int drainToArrayEnd(Handler handler, int limit) {
    long head = (long) LONG.getOpaque(positions, HEAD);
    int headIndex = (int) head & mask;
    int contiguous = capacity - headIndex;
    int bytesRead = 0;
    int count = 0;
    try {
      while (bytesRead < contiguous && count < limit) {
        int recordIndex = headIndex + bytesRead;
        int recordLength = (int) LENGTH.getAcquire(lengths, recordIndex / ALIGNMENT);
        if (recordLength <= 0) {
          break;
        }
        bytesRead += align(recordLength);
        lengths[recordIndex / ALIGNMENT] = 0; // published to producers by the head's release
        int destination = (int) INT.get(buffer, recordIndex + DESTINATION_OFFSET);
        if (destination == PADDING) {
          continue;
        }
        count++;
        handler.onEnvelope(
            destination,
            (long) KEY.get(buffer, recordIndex + APP_KEY_OFFSET),
            buffer,
            recordIndex + ENVELOPE_OFFSET,
            recordLength - ENVELOPE_OFFSET - TRAILER_ROOM);
      }
    } finally {
      if (bytesRead > 0) {
        Arrays.fill(buffer, headIndex, headIndex + bytesRead, (byte) 0);
        LONG.setRelease(positions, HEAD, head + bytesRead);
      }
    }
    return count;
  }

  /** Whether nothing is claimed: every claimed record was consumed. */
  public boolean isEmpty() {
    return (long) LONG.getVolatile(positions, TAIL) == (long) LONG.getVolatile(positions, HEAD);
  }

  /**
   * Consumer thread only: parks up to {@code maxNanos} unless something is claimed; a producer's
   * {@link #commit} wakes it.
   */
  public void awaitEnvelopes(long maxNanos) {
    consumer = Thread.currentThread();
    consumerParked = true;
    try {
      if (isEmpty()) {
        LockSupport.parkNanos(this, maxNanos);
      } else {
        Thread.yield(); // claimed but not yet committed: give its producer the core
      }
    } finally {
      consumerParked = false;
    }
  }

  /** Wakes a consumer parked in {@link #awaitEnvelopes}, such as one being stopped. */
  public void wakeConsumer() {
    if (consumerParked) {
      Thread c = consumer;
      if (c != null) {
        LockSupport.unpark(c);
      }
    }
  }

  private int claim(int required) {
    long head = (long) LONG.getOpaque(positions, HEAD_CACHE);
    long tail;
    int tailIndex;
    int padding;
    do {
      tail = (long) LONG.getVolatile(positions, TAIL);
      if (required > capacity - (int) (tail - head)) {
        head = (long) LONG.getVolatile(positions, HEAD);
        if (required > capacity - (int) (tail - head)) {
          return -1;
        }
        LONG.setOpaque(positions, HEAD_CACHE, head);
      }
      padding = 0;
      tailIndex = (int) tail & mask;
      int toBufferEnd = capacity - tailIndex;
      if (required > toBufferEnd) {
        int headIndex = (int) head & mask;
        if (required > headIndex) {
          head = (long) LONG.getVolatile(positions, HEAD);
          headIndex = (int) head & mask;
          if (required > headIndex) {
            return -1;
          }
          LONG.setOpaque(positions, HEAD_CACHE, head);
        }
        padding = toBufferEnd;
      }
    } while (!LONG.compareAndSet(positions, TAIL, tail, tail + required + padding));

    if (padding != 0) {
      INT.set(buffer, tailIndex + DESTINATION_OFFSET, PADDING);
      LENGTH.setRelease(lengths, tailIndex / ALIGNMENT, padding);
      tailIndex = 0;
    }
    return tailIndex;
  }

  private static int align(int length) {
    return (length + ALIGNMENT - 1) & -ALIGNMENT;
  }
}
