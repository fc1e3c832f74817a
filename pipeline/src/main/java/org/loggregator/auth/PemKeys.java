package org.loggregator.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * keys as PKCS#8 ({@code BEGIN PRIVATE KEY}), as openssl writes them.
 */
public final class PemKeys {
  public static final String PUBLIC = "PUBLIC KEY";
  public static final String PRIVATE = "PRIVATE KEY";

  private PemKeys() {}

  /** A new 2048-bit RSA key pair. */
  public static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
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
   * Writes both halves of a pair. The private one is readable by its owner only from the moment its
   * file exists (mode 600 at creation, on a POSIX file system), and appears whole or not at all.
   */
  public static void write(KeyPair pair, Path publicFile, Path privateFile) throws IOException {
    Files.createDirectories(publicFile.toAbsolutePath().getParent());
    Files.createDirectories(privateFile.toAbsolutePath().getParent());
    Path dir = privateFile.toAbsolutePath().getParent();
    Path temp;
    try {
      temp =
          Files.createTempFile(
              dir,
              "." + privateFile.getFileName(),
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      temp = Files.createTempFile(dir, "." + privateFile.getFileName(), ".tmp");
    }
    try {
      Files.writeString(temp, encode(PRIVATE, pair.getPrivate().getEncoded()));
      Files.move(temp, privateFile, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    Files.writeString(publicFile, encode(PUBLIC, pair.getPublic().getEncoded()));
  }

  /**
   * Reads an RSA public key.
   *
   * @throws IllegalArgumentException with one sentence naming the file when it is not one
   */
  public static RSAPublicKey readPublic(Path file) throws IOException {
    try {
      PublicKey key =
          KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(file, PUBLIC)));
      return (RSAPublicKey) key;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException(file + " does not hold an RSA public key in PEM.", e);
    }
  }

  /**
   * Reads an RSA private key (PKCS#8).
   *
   * @throws IllegalArgumentException with one sentence naming the file when it is not one
   */
  public static PrivateKey readPrivate(Path file) throws IOException {
    try {
      return KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(der(file, PRIVATE)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          file + " does not hold an RSA private key in PKCS#8 PEM.", e);
    }
  }

  /**
   * Reads every public key of a PEM file: one or more {@code BEGIN PUBLIC KEY} blocks, each RSA or
   * EC, as a file that lists the current key and the next one during a rotation does.
   *
   * @throws IllegalArgumentException with one sentence naming the file when a block is not one
   */
  public static List<PublicKey> readPublicKeys(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN " + PUBLIC + "-----";
    String end = "-----END " + PUBLIC + "-----";
    List<PublicKey> keys = new ArrayList<>();
    for (int from = text.indexOf(begin); from >= 0; from = text.indexOf(begin, from + 1)) {
      int to = text.indexOf(end, from);
      if (to < 0) {
        throw new IllegalArgumentException(file + " has a \"" + begin + "\" block with no end.");
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " holds a PEM block that is not Base64.", e);
      }
      keys.add(publicKey(file, der));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(file + " has no \"" + begin + "\" block.");
    }
    return keys;
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

  private static byte[] der(Path file, String label) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(file + " has no \"" + begin + "\" block.");
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " holds a PEM block that is not Base64.", e);
    }
  }
}
