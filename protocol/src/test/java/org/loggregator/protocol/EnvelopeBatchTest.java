package org.loggregator.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeBatchTest {

  private static List<byte[]> goldenEnvelopes() {
    List<byte[]> envelopes = new ArrayList<>();
    for (String name : GoldenVectors.CASES) {
      envelopes.add(GoldenVectors.envelopeBytes(name));
    }
    return envelopes;
  }

  private static byte[] batch(List<byte[]> envelopes) {
    int size = envelopes.stream().mapToInt(e -> EnvelopeBatch.framedLength(e.length)).sum();
    ByteBuffer batch = ByteBuffer.allocateDirect(size);
    envelopes.forEach(e -> EnvelopeBatch.append(batch, e));
    assertEquals(0, batch.remaining(), "framedLength must match what append writes");
    batch.flip();
    byte[] bytes = new byte[batch.remaining()];
    batch.get(bytes);
    return bytes;
  }

  private static byte[] filled(int length) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) 0x5A);
    return bytes;
  }

  @Test
  void shouldWriteWhatProtobufWritesForARepeatedBytesField() throws IOException {
    List<byte[]> envelopes = new ArrayList<>(goldenEnvelopes());
    envelopes.add(filled(300)); // a two-byte length
    envelopes.add(filled(70_000)); // a three-byte length
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(expected);
    for (byte[] envelope : envelopes) {
      out.writeByteArray(1, envelope);
    }
    out.flush();

    assertArrayEquals(expected.toByteArray(), batch(envelopes));
  }

  @Test
  void shouldHandBackEveryGoldenEnvelopeUnchangedAndInOrder() {
    List<byte[]> envelopes = goldenEnvelopes();
    List<byte[]> out = new ArrayList<>();

    int count = EnvelopeBatch.split(batch(envelopes), out::add);

    assertEquals(envelopes.size(), count);
    for (int i = 0; i < envelopes.size(); i++) {
      assertArrayEquals(envelopes.get(i), out.get(i), GoldenVectors.CASES.get(i));
    }
  }

  @Test
  void shouldShowWhereEachEnvelopeLiesInABatchWithinALargerArray() {
    List<byte[]> envelopes = goldenEnvelopes();
    byte[] batch = batch(envelopes);
    byte[] padded = new byte[batch.length + 10];
    System.arraycopy(batch, 0, padded, 7, batch.length);
    List<byte[]> out = new ArrayList<>();

    int count =
        EnvelopeBatch.forEach(
            padded,
            7,
            batch.length,
            (bytes, offset, length) -> out.add(Arrays.copyOfRange(bytes, offset, offset + length)));

    assertEquals(envelopes.size(), count);
    for (int i = 0; i < envelopes.size(); i++) {
      assertArrayEquals(envelopes.get(i), out.get(i), GoldenVectors.CASES.get(i));
    }
  }

  @Test
  void shouldHandBackNothingFromAnEmptyBatch() {
    assertEquals(0, EnvelopeBatch.split(new byte[0], e -> {}));
  }

  @Test
  void shouldRefuseABatchThatDoesNotStartWithTheTag() {
    byte[] bare = GoldenVectors.envelopeBytes("log_out");
    byte[] wrong = batch(List.of(bare));
    wrong[0] = 0x12;

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EnvelopeBatch.split(wrong, x -> {}));
    assertEquals(
        "Envelope batch is malformed at byte 0: expected the tag byte 0x0A.", e.getMessage());
  }

  @Test
  void shouldHandOnTheEnvelopesBeforeTheFaultWhenALengthRunsPastTheEnd() {
    byte[] first = GoldenVectors.envelopeBytes("log_out");
    byte[] whole = batch(List.of(first, GoldenVectors.envelopeBytes("value_metric")));
    byte[] cut = Arrays.copyOf(whole, whole.length - 1);
    List<byte[]> out = new ArrayList<>();

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EnvelopeBatch.split(cut, out::add));

    assertEquals(1, out.size());
    assertArrayEquals(first, out.get(0));
    int second = EnvelopeBatch.framedLength(first.length);
    assertEquals(
        "Envelope batch is malformed at byte "
            + second
            + ": it claims "
            + GoldenVectors.envelopeBytes("value_metric").length
            + " bytes.",
        e.getMessage());
  }

  @Test
  void shouldRefuseALengthThatIsCutOffOrTooLong() {
    byte[] cutOff = {0x0A, (byte) 0x80};
    byte[] tooLong = {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};

    for (byte[] batch : List.of(cutOff, tooLong)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> EnvelopeBatch.split(batch, x -> {}));
      assertEquals(
          "Envelope batch is malformed at byte 0: its length is cut off or too long.",
          e.getMessage());
    }
  }

  @Test
  void shouldRefuseALengthThatOverflowsAnInt() {
    byte[] negative = {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EnvelopeBatch.split(negative, x -> {}));
    assertEquals(
        "Envelope batch is malformed at byte 0: it claims 4294967295 bytes.", e.getMessage());
  }
}
