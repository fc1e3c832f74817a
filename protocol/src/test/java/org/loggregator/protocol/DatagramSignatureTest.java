package org.loggregator.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class DatagramSignatureTest {

  private final DatagramSignature signature = new DatagramSignature(GoldenVectors.SECRET);

  private static byte[] jceHmac(byte[] key, byte[] message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message);
  }

  @Test
  void shouldMatchJavaxCryptoMacWhenSigningWithKeysOfEveryLength() throws Exception {
    Random random = new Random(7);
    // Keys longer than the 64-byte block are hashed first; cover both sides of it.
    for (int keyLength = 1; keyLength <= 150; keyLength++) {
      byte[] key = new byte[keyLength];
      random.nextBytes(key);
      DatagramSignature signer = new DatagramSignature(key);
      for (int messageLength : new int[] {0, 1, 55, 56, 63, 64, 65, 1000, random.nextInt(3000)}) {
        byte[] message = new byte[messageLength];
        random.nextBytes(message);
        byte[] datagram = signer.sign(message, 0, message.length);
        assertArrayEquals(
            jceHmac(key, message), Arrays.copyOf(datagram, DatagramSignature.HMAC_LENGTH));
        assertArrayEquals(
            message, Arrays.copyOfRange(datagram, DatagramSignature.HMAC_LENGTH, datagram.length));
        assertTrue(signer.verify(datagram, 0, datagram.length));
      }
    }
  }

  @Test
  void shouldUseTheUtf8BytesWhenSecretIsAString() {
    String secret = "sécret-ключ";
    byte[] envelope = GoldenVectors.envelopeBytes("log_out");
    assertArrayEquals(
        new DatagramSignature(secret.getBytes(StandardCharsets.UTF_8))
            .sign(envelope, 0, envelope.length),
        new DatagramSignature(secret).sign(envelope, 0, envelope.length));
  }

  @Test
  void shouldSignIntoTheCallersBufferWhenGivenOne() {
    byte[] envelope = GoldenVectors.envelopeBytes("log_out");
    byte[] expected = signature.sign(envelope, 0, envelope.length);
    byte[] dst = new byte[expected.length + 10];
    int written = signature.sign(envelope, 0, envelope.length, dst, 5);
    assertEquals(expected.length, written);
    assertArrayEquals(expected, Arrays.copyOfRange(dst, 5, 5 + written));
    assertTrue(signature.verify(dst, 5, written));
  }

  @Test
  void shouldSignInPlaceWhenEnvelopeAlreadySitsAfterRoomForTheHmac() {
    byte[] envelope = GoldenVectors.envelopeBytes("http_start_stop");
    byte[] expected = signature.sign(envelope, 0, envelope.length);
    byte[] buffer = new byte[3 + DatagramSignature.HMAC_LENGTH + envelope.length];
    System.arraycopy(envelope, 0, buffer, 3 + DatagramSignature.HMAC_LENGTH, envelope.length);
    signature.sign(buffer, 3 + DatagramSignature.HMAC_LENGTH, envelope.length, buffer, 3);
    assertArrayEquals(expected, Arrays.copyOfRange(buffer, 3, buffer.length));

    // Overlapping the other way: envelope at the start, datagram written over it.
    byte[] overlapping = Arrays.copyOf(envelope, expected.length);
    signature.sign(overlapping, 0, envelope.length, overlapping, 0);
    assertArrayEquals(expected, overlapping);
  }

  @Test
  void shouldVerifyDatagramWhenItSitsInsideALargerBuffer() {
    byte[] signed = GoldenVectors.signedBytes("error");
    byte[] buffer = new byte[signed.length + 100];
    Arrays.fill(buffer, (byte) 0x5a);
    System.arraycopy(signed, 0, buffer, 40, signed.length);
    assertTrue(signature.verify(buffer, 40, signed.length));
    assertFalse(signature.verify(buffer, 40, signed.length + 1));
    assertFalse(signature.verify(buffer, 39, signed.length));
  }

  @Test
  void shouldReturnFalseWhenDatagramIsShorterThanTheHmac() {
    byte[] signed = GoldenVectors.signedBytes("value_metric");
    for (int length = 0; length < DatagramSignature.HMAC_LENGTH; length++) {
      assertFalse(signature.verify(signed, 0, length));
    }
  }

  @Test
  void shouldAcceptAnEmptyEnvelopeWhenItIsSigned() {
    byte[] datagram = signature.sign(new byte[0], 0, 0);
    assertEquals(DatagramSignature.HMAC_LENGTH, datagram.length);
    assertTrue(signature.verify(datagram, 0, datagram.length));
  }

  @Test
  void shouldRefuseTheSecretWhenItIsEmpty() {
    IllegalArgumentException fromBytes =
        assertThrows(IllegalArgumentException.class, () -> new DatagramSignature(new byte[0]));
    IllegalArgumentException fromString =
        assertThrows(IllegalArgumentException.class, () -> new DatagramSignature(""));
    assertTrue(fromBytes.getMessage().contains("shared secret"));
    assertTrue(fromString.getMessage().contains("shared secret"));
  }

  @Test
  void shouldNotDependOnTheCallersSecretArrayWhenItChangesLater() {
    byte[] secret = GoldenVectors.SECRET.getBytes(StandardCharsets.US_ASCII);
    DatagramSignature signer = new DatagramSignature(secret);
    Arrays.fill(secret, (byte) 0);
    byte[] signed = GoldenVectors.signedBytes("log_out");
    assertTrue(signer.verify(signed, 0, signed.length));
  }

  @Test
  void shouldNotAllocateWhenVerifying() {
    byte[][] datagrams =
        GoldenVectors.CASES.stream().map(GoldenVectors::signedBytes).toArray(byte[][]::new);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 1_000; i++) {
      signature.verify(datagrams[i % datagrams.length], 0, datagrams[i % datagrams.length].length);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    int verified = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] datagram = datagrams[i % datagrams.length];
      if (signature.verify(datagram, 0, datagram.length)) {
        verified++;
      }
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertEquals(20_000, verified);
    assertTrue(allocated < 4_096, "allocated " + allocated + " bytes for 20,000 verifications");
  }
}
