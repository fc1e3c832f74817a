package org.loggregator.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared secrets that sign datagrams and controller requests: the first signs, any of them
 * verifies, so that a rotation lists the new secret first and the old one after it until every
 * sender has the new one. Immutable.
 *
 * <p>A secret has at least {@value #MIN_BYTES} bytes, and none is the value printed in the
 * protocol's documentation (docs/PROTOCOL.md, Golden vectors: {@link #PUBLISHED}), which anyone can
 * read.
 */
public final class SharedSecrets {
  /** The secret of the protocol's published test vectors: never a secret anyone may use. */
  public static final String PUBLISHED = "loggregatorEndPointSharedSecret";

  /** The shortest secret taken, in UTF-8 bytes. */
  public static final int MIN_BYTES = 32;

  private final List<byte[]> secrets;

  private SharedSecrets(List<byte[]> secrets) {
    this.secrets = secrets;
  }

  /**
   * The secrets in {@code value}, separated by commas or white space.
   *
   * @param name the setting or flag it came from, for the error
   * @throws IllegalArgumentException with one sentence naming {@code name} (never the value)
   */
  public static SharedSecrets parse(String value, String name) {
    List<byte[]> secrets = new ArrayList<>();
    if (value != null) {
      for (String item : value.split("[,\\s]+")) {
        if (item.isEmpty()) {
          continue;
        }
        if (item.equals(PUBLISHED)) {
          throw new IllegalArgumentException(
              name
                  + " is the secret printed in the protocol's documentation, which anyone can"
                  + " read: set a random one of at least "
                  + MIN_BYTES
                  + " bytes (openssl rand -hex 32).");
        }
        byte[] bytes = item.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_BYTES) {
          throw new IllegalArgumentException(
              name
                  + " must be at least "
                  + MIN_BYTES
                  + " bytes long, every secret of it (openssl rand -hex 32 makes one).");
        }
        secrets.add(bytes);
      }
    }
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException(
          name
              + " is missing: set a random secret of at least "
              + MIN_BYTES
              + " bytes (openssl rand -hex 32), the same on every agent, controller and doppler.");
    }
    return new SharedSecrets(List.copyOf(secrets));
  }

  /** The secret that signs. */
  public byte[] signing() {
    return secrets.get(0).clone();
  }

  /** Every secret that verifies, the signing one first (copies). */
  public List<byte[]> all() {
    List<byte[]> copies = new ArrayList<>(secrets.size());
    secrets.forEach(s -> copies.add(s.clone()));
    return copies;
  }

  /** How many secrets there are (more than one during a rotation). */
  public int size() {
    return secrets.size();
  }

  @Override
  public String toString() {
    return size() + " shared secret(s)";
  }
}
