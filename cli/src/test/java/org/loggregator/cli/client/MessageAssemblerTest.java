package org.loggregator.cli.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class MessageAssemblerTest {

  @Test
  void shouldJoinThePartsWhenAMessageArrivesInSeveral() {
    MessageAssembler assembler = new MessageAssembler();

    assertNull(assembler.append(ByteBuffer.wrap(new byte[] {1, 2}), false));
    assertNull(assembler.append(ByteBuffer.wrap(new byte[0]), false));
    byte[] message = assembler.append(ByteBuffer.wrap(new byte[] {3}), true);

    assertArrayEquals(new byte[] {1, 2, 3}, message);
  }

  @Test
  void shouldStartAfreshWhenTheNextMessageBegins() {
    MessageAssembler assembler = new MessageAssembler();
    assembler.append(ByteBuffer.wrap(new byte[] {9, 9}), true);

    assertArrayEquals(new byte[] {7}, assembler.append(ByteBuffer.wrap(new byte[] {7}), true));
  }

  @Test
  void shouldGrowBeyondItsFirstBufferWhenAMessageIsLarge() {
    MessageAssembler assembler = new MessageAssembler();
    byte[] big = new byte[100_000];
    big[99_999] = 42;

    assembler.append(ByteBuffer.wrap(big, 0, 50_000), false);
    byte[] message = assembler.append(ByteBuffer.wrap(big, 50_000, 50_000), true);

    assertArrayEquals(big, message);
  }

  @Test
  void shouldDropAMessageLongerThanSixteenMebibytesAndKeepTheNextOne() {
    MessageAssembler assembler = new MessageAssembler();
    byte[] chunk = new byte[4 * 1024 * 1024];
    for (int i = 0; i < 4; i++) {
      assembler.append(ByteBuffer.wrap(chunk), false);
    }

    assertNull(assembler.append(ByteBuffer.wrap(new byte[] {1}), true));
    assertArrayEquals(new byte[] {5}, assembler.append(ByteBuffer.wrap(new byte[] {5}), true));
  }
}
