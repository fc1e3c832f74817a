package org.loggregator.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Several envelopes in one WebSocket message, on a doppler's stream or firehose connection whose
 * controller asked for it with the subprotocol {@value #SUBPROTOCOL} and the doppler agreed.
 * Without it (a client of another kind, or a doppler that does not offer it) every message is one
 * bare envelope (docs/PROTOCOL.md, WebSocket messages).
 *
 * <p>A batch is what protobuf writes for a message {@code repeated bytes envelopes = 1}: for each
 * envelope the tag byte {@code 0x0A}, its length as a varint, and its bytes exactly as received.
 * Nothing is re-encoded.
 */
public final class EnvelopeBatch {
  /** The WebSocket subprotocol that asks for batches. */
  public static final String SUBPROTOCOL = "loggregator.envelope-batch.v1";

  private static final byte TAG = (byte) ProtobufWire.tag(1, ProtobufWire.LENGTH_DELIMITED);

  private EnvelopeBatch() {}

  /** Bytes an envelope of {@code envelopeLength} bytes takes in a batch. */
  public static int framedLength(int envelopeLength) {
    return 1 + ProtobufWire.varintSize(envelopeLength) + envelopeLength;
  }

  /** Appends one envelope to the batch being written in {@code batch}, which must have room. */
  public static void append(ByteBuffer batch, byte[] envelope) {
    batch.put(TAG);
    ProtobufWire.putVarint(envelope.length, batch);
    batch.put(envelope);
  }

  /** Where one envelope lies in a batch's bytes. */
  @FunctionalInterface
  public interface EnvelopeSlice {
    void accept(byte[] batch, int offset, int length);
  }

  /**
   * Hands each envelope of a batch to {@code each}, as an array of its own, in order.
   *
   * @return how many envelopes it held
   * @throws IllegalArgumentException if the batch is malformed; the envelopes before the fault have
   *     been handed on
   */
  public static int split(byte[] batch, Consumer<byte[]> each) {
    return forEach(
        batch,
        0,
        batch.length,
        (b, offset, n) -> each.accept(Arrays.copyOfRange(b, offset, offset + n)));
  }

  /**
   * Shows {@code each} where each envelope of the batch in {@code batch[offset, offset + length)}
   * lies, in order, copying nothing.
   *
   * @return how many envelopes it held
   * @throws IllegalArgumentException if the batch is malformed (the byte named counts from {@code
   *     offset}); the envelopes before the fault have been shown
   */
  public static int forEach(byte[] batch, int offset, int length, EnvelopeSlice each) {
    int end = offset + length;
    int count = 0;
    int at = offset;
    while (at < end) {
      if (batch[at] != TAG) {
        throw malformed(at - offset, "expected the tag byte 0x0A");
      }
      int size = 0;
      int shift = 0;
      int next = at + 1;
      while (true) {
        if (next == end || shift > 28) {
          throw malformed(at - offset, "its length is cut off or too long");
        }
        byte b = batch[next++];
        size |= (b & 0x7F) << shift;
        if (b >= 0) {
          break;
        }
        shift += 7;
      }
      if (size < 0 || size > end - next) {
        throw malformed(at - offset, "it claims " + Integer.toUnsignedString(size) + " bytes");
      }
      each.accept(batch, next, size);
      count++;
      at = next + size;
    }
    return count;
  }

  private static IllegalArgumentException malformed(int offset, String why) {
    return new IllegalArgumentException(
        "Envelope batch is malformed at byte " + offset + ": " + why + ".");
  }
}
