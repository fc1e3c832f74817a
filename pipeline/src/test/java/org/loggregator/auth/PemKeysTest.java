package org.loggregator.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemKeysTest {

  @Test
  void shouldWriteThePrivateKeyReadableByItsOwnerOnlyWhenWritingAPair(@TempDir Path dir)
      throws Exception {
    KeyPair pair = PemKeys.generate();
    Path publicFile = dir.resolve("token-public.pem");
    Path privateFile = dir.resolve("token-private.pem");

    PemKeys.write(pair, publicFile, privateFile);

    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile)));
    assertEquals(pair.getPublic(), PemKeys.readPublic(publicFile));
    assertEquals(pair.getPrivate(), PemKeys.readPrivate(privateFile));
    try (var files = Files.list(dir)) {
      assertEquals(2, files.count(), "no temporary file is left");
    }
  }

  @Test
  void shouldReadEveryPublicKeyRsaOrEcWhenAFileListsSeveral(@TempDir Path dir) throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    PublicKey rsa = PemKeys.generate().getPublic();
    PublicKey p256 = ec.generateKeyPair().getPublic();
    Path file = dir.resolve("keys.pem");
    Files.writeString(
        file,
        PemKeys.encode(PemKeys.PUBLIC, rsa.getEncoded())
            + "a comment between keys\n"
            + PemKeys.encode(PemKeys.PUBLIC, p256.getEncoded()));

    assertEquals(List.of(rsa, p256), PemKeys.readPublicKeys(file));
  }

  @Test
  void shouldRefuseNamingTheFileWhenItHoldsNoPublicKeyOrABrokenOne(@TempDir Path dir)
      throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
    Path broken =
        Files.writeString(
            dir.resolve("broken.pem"),
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");

    for (Path file : List.of(empty, broken)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PemKeys.readPublicKeys(file));
      assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }
  }

  @Test
  void shouldNameTheTextAndTheBlockExpectedWhenTextHoldsNoKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PemKeys.parsePrivate(PemKeys.encode(PemKeys.PUBLIC, new byte[] {1}), "the text"));

    assertTrue(e.getMessage().startsWith("the text "), e.getMessage());
    assertTrue(e.getMessage().contains("BEGIN PRIVATE KEY"), e.getMessage());
  }

  @Test
  void shouldWriteThePublicKeyReadableByAllWhenWritingIt(@TempDir Path dir) throws Exception {
    KeyPair pair = PemKeys.generate();
    Path publicFile = dir.resolve("token-public.pem");

    PemKeys.writePublic(pair.getPublic(), publicFile);

    assertEquals(
        "rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(publicFile)));
    assertEquals(pair.getPublic(), PemKeys.readPublic(publicFile));
  }
}
