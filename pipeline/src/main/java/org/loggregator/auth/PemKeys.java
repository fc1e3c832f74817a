package org.loggregator.auth;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * RSA keys in PEM: public keys as X.509 SubjectPublicKeyInfo ({@code BEGIN PUBLIC KEY}), private
 * keys as PKCS#8 ({@code BEGIN PRIVATE KEY}), as openssl writes them: 64-character lines, LF line
 * ends. Stateless; every method is thread-safe.
 *
 * <p>Unusable key text is refused with an {@link IllegalArgumentException} whose message is one
 * sentence naming the file (or whatever the caller names the text) and what was expected.
 */
public final class PemKeys {
  public static final String PUBLIC = "PUBLIC KEY";
  public static final String PRIVATE = "PRIVATE KEY";

  /** RSA modulus size of generated keys. */
  public static final int KEY_BITS = 2048;

  private PemKeys() {}

  /** A new 2048-bit RSA key pair. */
  public static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(KEY_BITS);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM cannot generate RSA keys", e);
    }
  }

  /** The PEM text of a key's encoded form under the given label. */
  public static String encode(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /**
   * Writes both halves of a pair, creating their directories. The private one is readable by its
   * owner only from the moment its file exists (mode 600 at creation, on a POSIX file system); each
   * file appears whole or not at all.
   */
  public static void write(KeyPair pair, Path publicFile, Path privateFile) throws IOException {
    Files.createDirectories(publicFile.toAbsolutePath().getParent());
    Files.createDirectories(privateFile.toAbsolutePath().getParent());
    writePrivate(pair.getPrivate(), privateFile);
    writePublic(pair.getPublic(), publicFile);
  }

  /** Writes a private key, mode 600 from creation, whole or not at all. */
  public static void writePrivate(PrivateKey key, Path file) throws IOException {
    writeWhole(file, encode(PRIVATE, key.getEncoded()), "rw-------");
  }

  /** Writes a public key, mode 644, whole or not at all. */
  public static void writePublic(PublicKey key, Path file) throws IOException {
    writeWhole(file, encode(PUBLIC, key.getEncoded()), "rw-r--r--");
  }

  /**
   * Reads an RSA public key.
   *
   * @throws IllegalArgumentException with one sentence naming the file when it is not one
   */
  public static RSAPublicKey readPublic(Path file) throws IOException {
    return parsePublic(readText(file), file.toString());
  }

  /**
   * Reads an RSA private key (PKCS#8).
   *
   * @throws IllegalArgumentException with one sentence naming the file when it is not one
   */
  public static PrivateKey readPrivate(Path file) throws IOException {
    return parsePrivate(readText(file), file.toString());
  }

  /**
   * Parses PEM text holding an RSA public key ({@code BEGIN PUBLIC KEY}).
   *
   * @param where what the text is, for the refusal: a file name or "the key text"
   */
  public static RSAPublicKey parsePublic(String pem, String where) {
    try {
      PublicKey key =
          KeyFactory.getInstance("RSA")
              .generatePublic(new X509EncodedKeySpec(der(pem, PUBLIC, where)));
      return (RSAPublicKey) key;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException(where + " does not hold an RSA public key in PEM.", e);
    }
  }

  /**
   * Parses PEM text holding an RSA private key ({@code BEGIN PRIVATE KEY}, PKCS#8).
   *
   * @param where what the text is, for the refusal: a file name or "the key text"
   */
  public static PrivateKey parsePrivate(String pem, String where) {
    try {
      return KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(der(pem, PRIVATE, where)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          where + " does not hold an RSA private key in PKCS#8 PEM.", e);
    }
  }

  /**
   * Reads every public key of a PEM file: one or more {@code BEGIN PUBLIC KEY} blocks, each RSA or
   * EC, as a file that lists the current key and the next one during a rotation does.
   *
   * @throws IllegalArgumentException with one sentence naming the file when a block is not one
   */
  public static List<PublicKey> readPublicKeys(Path file) throws IOException {
    String text = readText(file);
    String begin = begin(PUBLIC);
    List<PublicKey> keys = new ArrayList<>();
    for (int from = text.indexOf(begin); from >= 0; from = text.indexOf(begin, from + 1)) {
      keys.add(publicKey(file, body(text, from, PUBLIC, file.toString())));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(file + " has no \"" + begin + "\" block.");
    }
    return keys;
  }

  /**
   * The text of a PEM file.
   *
   * @throws IllegalArgumentException naming the file when it is not ASCII text
   */
  public static String readText(Path file) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(file + " is not a PEM file (it is not ASCII text).", e);
    }
  }

  private static PublicKey publicKey(Path file, byte[] der) {
    for (String algorithm : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next kind
      }
    }
    throw new IllegalArgumentException(file + " holds a public key that is neither RSA nor EC.");
  }

  /** The encoded form in the first {@code label} block of {@code pem}. */
  private static byte[] der(String pem, String label, String where) {
    int from = pem.indexOf(begin(label));
    if (from < 0) {
      throw new IllegalArgumentException(where + " has no \"" + begin(label) + "\" block.");
    }
    return body(pem, from, label, where);
  }

  /** The encoded form in the {@code label} block that starts at {@code from}. */
  private static byte[] body(String pem, int from, String label, String where) {
    String begin = begin(label);
    int to = pem.indexOf("-----END " + label + "-----", from + begin.length());
    if (to < 0) {
      throw new IllegalArgumentException(where + " has a \"" + begin + "\" block with no end.");
    }
    try {
      return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " holds a PEM block that is not Base64.", e);
    }
  }

  private static String begin(String label) {
    return "-----BEGIN " + label + "-----";
  }

  /** Writes through a temporary file in the same directory, so a reader never sees half a key. */
  private static void writeWhole(Path file, String text, String mode) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path temp;
    try {
      temp =
          Files.createTempFile(
              dir,
              "." + file.getFileName(),
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
    } catch (UnsupportedOperationException e) {
      temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp"); // not POSIX
    }
    try {
      Files.writeString(temp, text, StandardCharsets.US_ASCII);
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
