package org.loggregator.doppler.drain;

import java.util.Arrays;

/**
 * The bytes of one batch of frames, as a drain's writer puts them on its connection: a growable
 * array reused from batch to batch. Not thread-safe: it belongs to one writer.
 */
public final class BatchBuffer {
  private byte[] bytes;
  private int length;
  private int frames;

  public BatchBuffer(int initialCapacity) {
    bytes = new byte[Math.max(64, initialCapacity)];
  }

  /** Makes room for {@code more} bytes after the current end. */
  void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
    }
  }

  void put(byte b) {
    bytes[length++] = b;
  }

  void put(byte[] source, int offset, int count) {
    System.arraycopy(source, offset, bytes, length, count);
    length += count;
  }

  void frameAdded() {
    frames++;
  }

  /** Empties the buffer, keeping its array. */
  public void clear() {
    length = 0;
    frames = 0;
  }

  /** The array holding the bytes from index 0; it changes when the buffer grows. */
  public byte[] array() {
    return bytes;
  }

  /** How many bytes it holds. */
  public int length() {
    return length;
  }

  /** How many frames (log lines) it holds. */
  public int frames() {
    return frames;
  }

  public boolean isEmpty() {
    return frames == 0;
  }
}
