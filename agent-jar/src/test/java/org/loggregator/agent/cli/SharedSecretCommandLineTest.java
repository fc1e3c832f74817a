package org.loggregator.agent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loggregator.agent.cli.AgentCommandLineTest.parseExactly;
import static org.loggregator.agent.cli.AgentCommandLineTest.refusalExactly;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loggregator.protocol.SharedSecrets;
import org.loggregator.protocol.TestSecrets;

/**
 * The shared secret has no default: it is required, from --shared-secret, --shared-secret-file or
 * the settings file; at least 32 bytes, never the published value; several for a rotation, the
 * first signing. No refusal ever repeats a value.
 */
class SharedSecretCommandLineTest {

  private static final String PUBLISHED = "loggregatorEndPointSharedSecret";

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Refused with one sentence that names {@code name} and repeats none of {@code values}. */
  private static String refusedNaming(String name, List<String> values, String... args) {
    String message = refusalExactly(args);
    assertTrue(message.startsWith(name + " "), message);
    for (String value : values) {
      assertFalse(message.contains(value), "the message repeats a secret: " + message);
    }
    return message;
  }

  @Test
  void shouldRefuseNamingTheFlagWhenNoSecretIsGiven() {
    String serve = refusedNaming("Option --shared-secret", List.of(), "serve");
    assertTrue(serve.startsWith("Option --shared-secret is missing: "), serve);
    assertTrue(serve.contains("at least 32 bytes"), serve);
    assertEquals(
        serve,
        refusedNaming("Option --shared-secret", List.of(), "run", "--app-id", "a", "--", "x"));
    // An empty value is no secret either.
    assertEquals(serve, refusalExactly("serve", "--shared-secret", ""));
    assertEquals(serve, refusalExactly("serve", "--shared-secret=", "--shared-secret-file="));
  }

  @Test
  void shouldRefuseThePublishedSecretWithoutRepeatingItWhenGiven() {
    String message =
        refusedNaming(
            "Option --shared-secret", List.of(PUBLISHED), "serve", "--shared-secret", PUBLISHED);
    assertTrue(message.contains("printed in the protocol's documentation"), message);
    // Also as the old one of a rotation.
    refusedNaming(
        "Option --shared-secret",
        List.of(PUBLISHED, TestSecrets.SECRET),
        "serve",
        "--shared-secret=" + TestSecrets.SECRET + "," + PUBLISHED);
  }

  @Test
  void shouldTakeThirtyTwoBytesAndRefuseThirtyOneWhenMeasuringASecret() throws Exception {
    String bytes31 = "0123456789abcdef0123456789abcde";
    String bytes32 = bytes31 + "f";
    assertEquals(31, utf8(bytes31).length);
    String message =
        refusedNaming(
            "Option --shared-secret", List.of(bytes31), "serve", "--shared-secret", bytes31);
    assertTrue(message.contains("at least 32 bytes"), message);
    assertArrayEquals(
        utf8(bytes32), parseExactly("serve", "--shared-secret", bytes32).sharedSecret().signing());

    // Bytes of UTF-8, not characters: 16 two-byte characters are 32 bytes; 15 and a letter, 31.
    String twoByte32 = "é".repeat(16);
    String twoByte31 = "é".repeat(15) + "x";
    assertArrayEquals(
        utf8(twoByte32),
        parseExactly("serve", "--shared-secret", twoByte32).sharedSecret().signing());
    refusedNaming(
        "Option --shared-secret", List.of(twoByte31), "serve", "--shared-secret", twoByte31);

    // Every secret of a list is measured, and no message repeats any of them.
    refusedNaming(
        "Option --shared-secret",
        List.of(TestSecrets.SECRET, bytes31),
        "serve",
        "--shared-secret",
        TestSecrets.SECRET + "," + bytes31);
  }

  @Test
  void shouldSignWithTheFirstAndKeepTheOthersWhenGivenARotation() throws Exception {
    SharedSecrets secrets =
        parseExactly("serve", "--shared-secret", TestSecrets.NEXT + "," + TestSecrets.SECRET)
            .sharedSecret();
    assertEquals(2, secrets.size());
    assertArrayEquals(utf8(TestSecrets.NEXT), secrets.signing());
    assertArrayEquals(utf8(TestSecrets.NEXT), secrets.all().get(0));
    assertArrayEquals(utf8(TestSecrets.SECRET), secrets.all().get(1));
    // White space around the commas is not part of a secret.
    SharedSecrets spaced =
        parseExactly(
                "serve", "--shared-secret", " " + TestSecrets.NEXT + " , " + TestSecrets.SECRET)
            .sharedSecret();
    assertArrayEquals(utf8(TestSecrets.NEXT), spaced.signing());
    assertEquals(2, spaced.size());
  }

  @Test
  void shouldNeverShowTheSecretWhenTheConfigIsPrinted() throws Exception {
    AgentConfig config = parseExactly("serve", "--shared-secret", TestSecrets.SECRET);
    assertFalse(config.toString().contains(TestSecrets.SECRET), config.toString());
  }

  @Test
  void shouldReadTheFirstLineWhenGivenASecretFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(
        file, TestSecrets.SECRET + "\r\nnot-the-secret-but-a-second-line-of-the-file\n");
    SharedSecrets secrets =
        parseExactly("serve", "--shared-secret-file", file.toString()).sharedSecret();
    assertEquals(1, secrets.size());
    assertArrayEquals(utf8(TestSecrets.SECRET), secrets.signing());

    // Its first line may hold a rotation too.
    Files.writeString(file, TestSecrets.NEXT + "," + TestSecrets.SECRET + "\n");
    SharedSecrets rotation =
        parseExactly("run", "--shared-secret-file=" + file, "--app-id", "a", "--", "x")
            .sharedSecret();
    assertArrayEquals(utf8(TestSecrets.NEXT), rotation.signing());
    assertEquals(2, rotation.size());
  }

  @Test
  void shouldRefuseNamingTheFileFlagWhenTheFileHoldsABadSecret(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, "too-short\n" + TestSecrets.SECRET + "\n");
    assertTrue(
        refusedNaming(
                "Option --shared-secret-file",
                List.of("too-short", TestSecrets.SECRET),
                "serve",
                "--shared-secret-file",
                file.toString())
            .contains("at least 32 bytes"));
    Files.writeString(file, PUBLISHED + "\n");
    refusedNaming(
        "Option --shared-secret-file",
        List.of(PUBLISHED),
        "serve",
        "--shared-secret-file",
        file.toString());
    Files.writeString(file, "");
    assertTrue(
        refusedNaming(
                "Option --shared-secret-file",
                List.of(),
                "serve",
                "--shared-secret-file",
                file.toString())
            .startsWith("Option --shared-secret-file is missing"));
  }

  @Test
  void shouldRefuseNamingTheFlagWhenTheSecretFileCannotBeRead(@TempDir Path dir) throws Exception {
    assertEquals(
        "Option --shared-secret-file names a file that does not exist.",
        refusalExactly("serve", "--shared-secret-file", dir.resolve("absent").toString()));
    assertEquals(
        "Option --shared-secret-file names a file that cannot be read (such as a directory).",
        refusalExactly("serve", "--shared-secret-file", dir.toString()));
    Path binary = dir.resolve("binary");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, '\n'});
    assertEquals(
        "Option --shared-secret-file names a file that is not UTF-8 text.",
        refusalExactly("serve", "--shared-secret-file", binary.toString()));
    Path big = dir.resolve("big");
    Files.writeString(big, TestSecrets.SECRET + "\n" + "x".repeat(70_000));
    assertTrue(
        refusalExactly("serve", "--shared-secret-file", big.toString())
            .startsWith("Option --shared-secret-file names a file larger than 64 KiB"));
    // The secret given where its file belongs is not repeated.
    assertEquals(
        "Option --shared-secret-file names a file that does not exist.",
        refusedNaming(
            "Option --shared-secret-file",
            List.of(TestSecrets.SECRET),
            "serve",
            "--shared-secret-file",
            TestSecrets.SECRET));
  }

  @Test
  void shouldRefuseBothFlagsWhenTheSecretIsGivenTwice(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, TestSecrets.SECRET + "\n");
    String message =
        refusalExactly(
            "serve",
            "--shared-secret",
            TestSecrets.SECRET,
            "--shared-secret-file",
            file.toString());
    assertEquals(
        "Give --shared-secret or --shared-secret-file, not both (each names the same secret).",
        message);
    assertEquals(
        "Option --shared-secret is given more than once.",
        refusalExactly(
            "serve", "--shared-secret", TestSecrets.SECRET, "--shared-secret", TestSecrets.NEXT));
  }

  @Test
  void shouldUseAndNameTheSettingsKeyWhenTheSecretIsInTheSettingsFile(@TempDir Path dir)
      throws Exception {
    Path settings = dir.resolve("agent.properties");
    Files.writeString(settings, "shared-secret=" + TestSecrets.NEXT + "," + TestSecrets.SECRET);
    SharedSecrets secrets = parseExactly("serve", "--config", settings.toString()).sharedSecret();
    assertArrayEquals(utf8(TestSecrets.NEXT), secrets.signing());
    assertEquals(2, secrets.size());

    String key = "Setting shared-secret in " + settings;
    Files.writeString(settings, "shared-secret=0123456789abcdef0123456789abcde\n");
    assertTrue(
        refusedNaming(
                key,
                List.of("0123456789abcdef0123456789abcde"),
                "serve",
                "--config",
                settings.toString())
            .contains("at least 32 bytes"));
    Files.writeString(settings, "shared-secret=" + PUBLISHED + "\n");
    refusedNaming(key, List.of(PUBLISHED), "serve", "--config", settings.toString());
    Files.writeString(settings, "shared-secret=\nzone=z2\n");
    assertTrue(
        refusedNaming(key, List.of(), "serve", "--config", settings.toString())
            .startsWith(key + " is missing"));
    // A settings file without the key: the flag is what is missing.
    Files.writeString(settings, "zone=z2\n");
    assertTrue(
        refusalExactly("serve", "--config", settings.toString())
            .startsWith("Option --shared-secret is missing"));
  }

  @Test
  void shouldReadTheSecretFileTheSettingsFileNamesAndNameItsKeyWhenRefused(@TempDir Path dir)
      throws Exception {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, TestSecrets.SECRET + "\n");
    Path settings = dir.resolve("agent.properties");
    Files.writeString(settings, "shared-secret-file=" + secret + "\n");
    assertArrayEquals(
        utf8(TestSecrets.SECRET),
        parseExactly("serve", "--config", settings.toString()).sharedSecret().signing());

    Files.writeString(settings, "shared-secret-file=" + dir.resolve("absent") + "\n");
    assertEquals(
        "Setting shared-secret-file in " + settings + " names a file that does not exist.",
        refusalExactly("serve", "--config", settings.toString()));

    Files.writeString(
        settings, "shared-secret-file=" + secret + "\nshared-secret=" + TestSecrets.NEXT + "\n");
    assertEquals(
        "Give shared-secret or shared-secret-file in "
            + settings
            + ", not both (each names the"
            + " same secret).",
        refusedNaming("Give", List.of(TestSecrets.NEXT), "serve", "--config", settings.toString()));
  }

  @Test
  void shouldLetAFlagWinOverTheSettingsFileWhenEachNamesTheSecretItsOwnWay(@TempDir Path dir)
      throws Exception {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, TestSecrets.NEXT + "\n");
    Path settings = dir.resolve("agent.properties");
    Files.writeString(settings, "shared-secret-file=" + secret + "\n");
    assertArrayEquals(
        utf8(TestSecrets.SECRET),
        parseExactly(
                "serve", "--config", settings.toString(), "--shared-secret", TestSecrets.SECRET)
            .sharedSecret()
            .signing());

    Files.writeString(settings, "shared-secret=" + TestSecrets.SECRET + "\n");
    assertArrayEquals(
        utf8(TestSecrets.NEXT),
        parseExactly(
                "serve", "--config", settings.toString(), "--shared-secret-file", secret.toString())
            .sharedSecret()
            .signing());
  }
}
