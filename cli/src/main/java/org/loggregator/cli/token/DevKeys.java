package org.loggregator.cli.token;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import org.loggregator.auth.PemKeys;

/**
 * The development key pair that signs and verifies bearer tokens: 2048-bit RSA, the private key in
 * PEM PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, file {@value #PRIVATE_KEY_FILE}, mode 600), the
 * public key in PEM X.509 SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC KEY-----}, file {@value
 * #PUBLIC_KEY_FILE}), read and written by {@link PemKeys}. Stateless; every method is thread-safe.
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
  public static final int KEY_BITS = PemKeys.KEY_BITS;

  private static final String TEXT = "the key text";

  private DevKeys() {}

  /** A fresh 2048-bit RSA key pair. */
  public static KeyPair generate() {
    return PemKeys.generate();
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
    PemKeys.write(keys, publicFile, privateFile);
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
        PemKeys.writePublic(keys.getPublic(), publicFile);
      }
      return keys;
    }
    KeyPair keys = generate();
    write(keys, dir, true);
    return keys;
  }

  /** Reads a PEM PKCS#8 RSA private key file. */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    return parsePrivateKey(PemKeys.readText(file), file.toString());
  }

  /** Reads a PEM X.509 RSA public key file. */
  public static PublicKey readPublicKey(Path file) throws IOException {
    return PemKeys.readPublic(file);
  }

  /** Parses PEM text holding {@code -----BEGIN PRIVATE KEY-----} (PKCS#8, RSA). */
  public static PrivateKey parsePrivateKey(String pem) {
    return parsePrivateKey(pem, TEXT);
  }

  /** Parses PEM text holding {@code -----BEGIN PUBLIC KEY-----} (X.509, RSA). */
  public static PublicKey parsePublicKey(String pem) {
    return PemKeys.parsePublic(pem, TEXT);
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
    return PemKeys.encode(PemKeys.PRIVATE, key.getEncoded());
  }

  /** PEM text, {@code -----BEGIN PUBLIC KEY-----}, 64-character lines, LF line ends. */
  public static String publicKeyPem(PublicKey key) {
    return PemKeys.encode(PemKeys.PUBLIC, key.getEncoded());
  }

  /** A PKCS#1 key is refused with how to convert it; the rest is {@link PemKeys}'s. */
  private static PrivateKey parsePrivateKey(String pem, String where) {
    if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
      throw new IllegalArgumentException(
          where
              + " holds a PKCS#1 key (BEGIN RSA PRIVATE KEY): convert it with `openssl pkcs8"
              + " -topk8 -nocrypt` or make a new pair with `logs keygen`.");
    }
    return PemKeys.parsePrivate(pem, where);
  }
}
