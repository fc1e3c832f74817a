package org.loggregator.cli.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loggregator.cli.Run;

class DevKeysTest {
  @TempDir Path dir;

  @Test
  void shouldReadBackTheSameKeysWhenWrittenAsPem() throws Exception {
    KeyPair keys = DevKeys.generate();

    DevKeys.write(keys, dir.resolve("nested"), false);

    Path privateFile = dir.resolve("nested").resolve(DevKeys.PRIVATE_KEY_FILE);
    Path publicFile = dir.resolve("nested").resolve(DevKeys.PUBLIC_KEY_FILE);
    assertArrayEquals(
        keys.getPrivate().getEncoded(), DevKeys.readPrivateKey(privateFile).getEncoded());
    assertArrayEquals(
        keys.getPublic().getEncoded(), DevKeys.readPublicKey(publicFile).getEncoded());
    assertArrayEquals(
        keys.getPublic().getEncoded(), DevKeys.publicKeyOf(keys.getPrivate()).getEncoded());
    assertEquals(2048, ((RSAPublicKey) keys.getPublic()).getModulus().bitLength());
    String privatePem = Files.readString(privateFile);
    String publicPem = Files.readString(publicFile);
    assertTrue(privatePem.startsWith("-----BEGIN PRIVATE KEY-----\n"), privatePem);
    assertTrue(privatePem.endsWith("\n-----END PRIVATE KEY-----\n"), privatePem);
    assertTrue(publicPem.startsWith("-----BEGIN PUBLIC KEY-----\n"), publicPem);
    assertTrue(publicPem.lines().allMatch(line -> line.length() <= 64));
    assertEquals(
        PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(privateFile));
  }

  @Test
  void shouldWriteAPairThatMintsVerifiableTokensWhenRunAsKeygen() throws Exception {
    Run keygen = Run.of("keygen", "--out", dir.toString());

    assertEquals(0, keygen.status(), keygen.err());
    assertTrue(keygen.out().contains(DevKeys.PUBLIC_KEY_FILE), keygen.out());
    Run token =
        Run.of("token", "--app", "a", "--key", dir.resolve(DevKeys.PRIVATE_KEY_FILE).toString());
    assertEquals(0, token.status(), token.err());
    String claims =
        TokenMinterTest.verifiedClaims(
            token.out().strip(), DevKeys.readPublicKey(dir.resolve(DevKeys.PUBLIC_KEY_FILE)));
    assertTrue(claims.contains("\"app_ids\":[\"a\"]"), claims);
  }

  @Test
  void shouldRefuseToOverwriteWithoutForceAndReplaceWithIt() throws Exception {
    assertEquals(0, Run.of("keygen", "--out", dir.toString()).status());
    byte[] first = Files.readAllBytes(dir.resolve(DevKeys.PRIVATE_KEY_FILE));

    Run again = Run.of("keygen", "--out", dir.toString());
    assertEquals(2, again.status());
    assertTrue(again.err().contains("--force"), again.err());
    assertTrue(again.errIsOneSentence(), again.err());
    assertArrayEquals(first, Files.readAllBytes(dir.resolve(DevKeys.PRIVATE_KEY_FILE)));

    assertEquals(0, Run.of("keygen", "--out", dir.toString(), "--force").status());
    assertNotEquals(new String(first), Files.readString(dir.resolve(DevKeys.PRIVATE_KEY_FILE)));
  }

  @Test
  void shouldWriteBesideTheEnvironmentKeyWhenNoOutIsGiven() {
    Path key = dir.resolve("keys").resolve(DevKeys.PRIVATE_KEY_FILE);

    Run run = Run.of(Map.of("LOGS_TOKEN_KEY", key.toString()), null, "keygen");

    assertEquals(0, run.status(), run.err());
    assertTrue(Files.exists(key));
    assertTrue(Files.exists(key.resolveSibling(DevKeys.PUBLIC_KEY_FILE)));
  }

  @Test
  void shouldNotWriteEitherFileWhenOnlyThePublicOneExists() throws Exception {
    Files.writeString(dir.resolve(DevKeys.PUBLIC_KEY_FILE), "old");

    assertThrows(
        FileAlreadyExistsException.class, () -> DevKeys.write(DevKeys.generate(), dir, false));
    assertTrue(Files.notExists(dir.resolve(DevKeys.PRIVATE_KEY_FILE)));
  }

  @Test
  void shouldKeepAnExistingPairWhenEnsured() throws Exception {
    KeyPair first = DevKeys.ensure(dir);
    KeyPair second = DevKeys.ensure(dir);

    assertArrayEquals(first.getPrivate().getEncoded(), second.getPrivate().getEncoded());
    assertArrayEquals(first.getPublic().getEncoded(), second.getPublic().getEncoded());
  }

  @Test
  void shouldExplainWhenTheKeyIsPkcs1() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DevKeys.parsePrivateKey(
                    "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"));

    assertTrue(e.getMessage().contains("openssl pkcs8"), e.getMessage());
  }
}
