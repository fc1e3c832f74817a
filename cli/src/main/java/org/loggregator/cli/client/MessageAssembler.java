package org.loggregator.cli.client;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Joins the parts in which a WebSocket delivers one binary message into that message's bytes; not
 * thread-safe (one per socket, fed from its listener, which the JDK calls one message at a time).
 */
public final class MessageAssembler {
  private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private byte[] buffer = new byte[8192];
  private int length;
  private boolean tooLong;

  /**
   * Adds one part.
   *
   * @return the whole message when {@code last}, else null; null too for a message longer than 16
   *     MiB, which is dropped
   */
  public byte[] append(ByteBuffer part, boolean last) {
    int n = part.remaining();
    if (!tooLong && length + (long) n <= MAX_MESSAGE_BYTES) {
      if (length + n > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + n));
      }
      part.get(buffer, length, n);
      length += n;
    } else {
      tooLong = true;
      part.position(part.limit());
    }
    if (!last) {
      return null;
    }
    byte[] message = tooLong ? null : Arrays.copyOf(buffer, length);
    length = 0;
    tooLong = false;
    return message;
  }
}
