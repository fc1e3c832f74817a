package org.loggregator.cli.token;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The development key pair that signs and verifies bearer tokens: 2048-bit RSA, the private key in
 * PEM PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, file {@value #PRIVATE_KEY_FILE}, mode 600), the
 * public key in PEM X.509 SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC KEY-----}, file {@value
 * #PUBLIC_KEY_FILE}). Stateless; every method is thread-safe.
 *
 * <p>Unusable key text is refused with an {@link IllegalArgumentException} whose message is one
 * sentence naming the file (or "the key text") and what was expected.
 */
public final class DevKeys {
  /** File name of the private key in a key directory. */
  public static final String PRIVATE_KEY_FILE = "token-private.pem";

  /** File name of the public key in a key directory. */
  public static final String PUBLIC_KEY_FILE = "token-public.pem";

  /** RSA modulus size of generated keys. */
  public static final int KEY_BITS = 2048;

  private static final String PRIVATE_LABEL = "PRIVATE KEY";
  private static final String PUBLIC_LABEL = "PUBLIC KEY";

  private DevKeys() {}

  /** A fresh 2048-bit RSA key pair. */
  public static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(KEY_BITS);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JDK has no RSA key generator.", e);
    }
  }

  /**
   * Writes {@value #PRIVATE_KEY_FILE} and {@value #PUBLIC_KEY_FILE} into {@code dir} (created if
   * needed).
   *
   * @throws FileAlreadyExistsException naming the first file that exists, when {@code overwrite} is
   *     false; nothing is written then
   */
  public static void write(KeyPair keys, Path dir, boolean overwrite) throws IOException {
    Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
    Path publicFile = dir.resolve(PUBLIC_KEY_FILE);
    if (!overwrite) {
      for (Path file : new Path[] {privateFile, publicFile}) {
        if (Files.exists(file)) {
          throw new FileAlreadyExistsException(file.toString());
        }
      }
    }
    Files.createDirectories(dir);
    writeFile(privateFile, privateKeyPem(keys.getPrivate()), true);
    writeFile(publicFile, publicKeyPem(keys.getPublic()), false);
  }

  /**
   * The key pair in {@code dir}, generated and written first when its private key is missing: what
   * a local set-up calls to be sure keys exist.
   */
  public static KeyPair ensure(Path dir) throws IOException {
    Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
    if (Files.exists(privateFile)) {
      PrivateKey privateKey = readPrivateKey(privateFile);
      KeyPair keys = new KeyPair(publicKeyOf(privateKey), privateKey);
      Path publicFile = dir.resolve(PUBLIC_KEY_FILE);
      if (!Files.exists(publicFile)) {
        writeFile(publicFile, publicKeyPem(keys.getPublic()), false);
      }
      return keys;
    }
    KeyPair keys = generate();
    write(keys, dir, true);
    return keys;
  }

  /** Reads a PEM PKCS#8 RSA private key file. */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    return parsePrivateKey(readText(file), file.toString());
  }

  /** Reads a PEM X.509 RSA public key file. */
  public static PublicKey readPublicKey(Path file) throws IOException {
    return parsePublicKey(readText(file), file.toString());
  }

  /** Parses PEM text holding {@code -----BEGIN PRIVATE KEY-----} (PKCS#8, RSA). */
  public static PrivateKey parsePrivateKey(String pem) {
    return parsePrivateKey(pem, "the key text");
  }

  /** Parses PEM text holding {@code -----BEGIN PUBLIC KEY-----} (X.509, RSA). */
  public static PublicKey parsePublicKey(String pem) {
    return parsePublicKey(pem, "the key text");
  }

  /** The public half of an RSA private key (from its CRT parameters). */
  public static PublicKey publicKeyOf(PrivateKey privateKey) {
    if (!(privateKey instanceof RSAPrivateCrtKey crt)) {
      throw new IllegalArgumentException(
          "The private key has no public exponent, so its public key cannot be derived.");
    }
    try {
      return KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JDK cannot build RSA public keys.", e);
    }
  }

  /** PEM text, {@code -----BEGIN PRIVATE KEY-----}, 64-character lines, LF line ends. */
  public static String privateKeyPem(PrivateKey key) {
    return pem(PRIVATE_LABEL, key.getEncoded());
  }

  /** PEM text, {@code -----BEGIN PUBLIC KEY-----}, 64-character lines, LF line ends. */
  public static String publicKeyPem(PublicKey key) {
    return pem(PUBLIC_LABEL, key.getEncoded());
  }

  private static PrivateKey parsePrivateKey(String pem, String where) {
    if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
      throw new IllegalArgumentException(
          where
              + " holds a PKCS#1 key (BEGIN RSA PRIVATE KEY): convert it with `openssl pkcs8"
              + " -topk8 -nocrypt` or make a new pair with `logs keygen`.");
    }
    byte[] der = der(pem, PRIVATE_LABEL, where);
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(where + " does not hold an RSA private key.", e);
    }
  }

  private static PublicKey parsePublicKey(String pem, String where) {
    byte[] der = der(pem, PUBLIC_LABEL, where);
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(where + " does not hold an RSA public key.", e);
    }
  }

  private static byte[] der(String pem, String label, String where) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = pem.indexOf(begin);
    int to = from < 0 ? -1 : pem.indexOf(end, from + begin.length());
    if (from < 0 || to < 0) {
      throw new IllegalArgumentException(
          where + " is not a PEM file holding " + begin + " ... " + end + ".");
    }
    String base64 = pem.substring(from + begin.length(), to).replaceAll("\\s+", "");
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " has a PEM body that is not valid base64.", e);
    }
  }

  private static String pem(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der).replace("\r", "");
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static String readText(Path file) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(file + " is not a PEM file (it is not ASCII text).", e);
    }
  }

  /** Writes through a temporary file in the same directory, so a reader never sees half a key. */
  private static void writeFile(Path file, String text, boolean secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      if (secret) {
        try {
          Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the directory's rules apply
        }
      } else {
        try {
          Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system
        }
      }
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
