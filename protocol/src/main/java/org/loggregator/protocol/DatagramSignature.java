package org.loggregator.protocol;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Signs and verifies signed datagrams (a 32-byte HMAC-SHA256 of the envelope bytes, keyed with the
 * shared secret, followed by those bytes); not thread-safe, so use one instance per thread.
 *
 * <p>Surprise: this computes HMAC-SHA256 (RFC 2104) over one reused {@link MessageDigest} instead
 * of {@code javax.crypto.Mac}, because {@code Mac.doFinal} allocates on every call. {@link #verify}
 * thereby allocates nothing, and compares in constant time.
 */
public final class DatagramSignature {

  /** Length of the HMAC that starts every signed datagram; the envelope follows it. */
  public static final int HMAC_LENGTH = 32;

  /**
   * The longest datagram, signed or not: the largest UDP payload over IPv4, 65,535 - 8 (UDP header)
   * - 20 (IP header).
   */
  public static final int MAX_DATAGRAM = 65_507;

  /** The longest envelope that still fits a signed datagram. */
  public static final int MAX_ENVELOPE = MAX_DATAGRAM - HMAC_LENGTH;

  private static final int BLOCK_LENGTH = 64; // SHA-256 block size

  private final MessageDigest sha256;
  private final byte[] innerPad = new byte[BLOCK_LENGTH];
  private final byte[] outerPad = new byte[BLOCK_LENGTH];
  private final byte[] hmac = new byte[HMAC_LENGTH];

  /**
   * Creates a signer for {@code secret}, which it copies.
   *
   * @throws IllegalArgumentException if the shared secret is empty
   */
  public DatagramSignature(byte[] secret) {
    Objects.requireNonNull(secret, "shared secret");
    if (secret.length == 0) {
      throw new IllegalArgumentException(
          "The shared secret is empty: datagrams need a non-empty shared secret to be signed.");
    }
    sha256 = newSha256();
    byte[] key = secret.length > BLOCK_LENGTH ? sha256.digest(secret) : secret;
    for (int i = 0; i < BLOCK_LENGTH; i++) {
      byte k = i < key.length ? key[i] : 0;
      innerPad[i] = (byte) (k ^ 0x36);
      outerPad[i] = (byte) (k ^ 0x5c);
    }
  }

  /**
   * Creates a signer for the UTF-8 bytes of {@code secret}.
   *
   * @throws IllegalArgumentException if the shared secret is empty
   */
  public DatagramSignature(String secret) {
    this(Objects.requireNonNull(secret, "shared secret").getBytes(StandardCharsets.UTF_8));
  }

  /** Returns a new datagram: the HMAC of {@code envelope[offset, offset + length)}, then it. */
  public byte[] sign(byte[] envelope, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, envelope.length);
    byte[] datagram = new byte[HMAC_LENGTH + length];
    sign(envelope, offset, length, datagram, 0);
    return datagram;
  }

  /**
   * Writes the datagram for {@code envelope[offset, offset + length)} into {@code dst} at {@code
   * dstOffset} and returns its length, {@code 32 + length}. The ranges may overlap: an envelope
   * encoded at {@code dst[dstOffset + 32]} is signed in place.
   */
  public int sign(byte[] envelope, int offset, int length, byte[] dst, int dstOffset) {
    Objects.checkFromIndexSize(offset, length, envelope.length);
    Objects.checkFromIndexSize(dstOffset, HMAC_LENGTH + length, dst.length);
    computeHmac(envelope, offset, length);
    System.arraycopy(envelope, offset, dst, dstOffset + HMAC_LENGTH, length);
    System.arraycopy(hmac, 0, dst, dstOffset, HMAC_LENGTH);
    return HMAC_LENGTH + length;
  }

  /**
   * Whether {@code datagram[offset, offset + length)} carries the right HMAC for its envelope;
   * false when it is shorter than 32 bytes. The envelope starts at {@code offset + 32}.
   */
  public boolean verify(byte[] datagram, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, datagram.length);
    if (length < HMAC_LENGTH) {
      return false;
    }
    computeHmac(datagram, offset + HMAC_LENGTH, length - HMAC_LENGTH);
    int difference = 0;
    for (int i = 0; i < HMAC_LENGTH; i++) {
      difference |= hmac[i] ^ datagram[offset + i];
    }
    return difference == 0;
  }

  private void computeHmac(byte[] bytes, int offset, int length) {
    try {
      sha256.update(innerPad);
      sha256.update(bytes, offset, length);
      sha256.digest(hmac, 0, HMAC_LENGTH);
      sha256.update(outerPad);
      sha256.update(hmac);
      sha256.digest(hmac, 0, HMAC_LENGTH);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 refused a 32-byte output buffer", e);
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM offers no SHA-256, which every JVM must", e);
    }
  }
}
