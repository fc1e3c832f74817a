package org.loggregator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loggregator.cli.format.OutputFormat;

class ClientSettingsTest {
  @TempDir Path home;

  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private boolean terminal;

  private Path writeConfig(String text) throws Exception {
    Path file = home.resolve(".config/loggregator/config");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private ClientSettings resolve(Map<String, String> env, String... args) throws Exception {
    Invocation invocation =
        new Invocation(
            System.out,
            new PrintStream(errBytes, true, StandardCharsets.UTF_8),
            env,
            home,
            h -> {},
            terminal);
    ReadCommand read = new ReadCommand(invocation);
    picocli.CommandLine cli = new picocli.CommandLine(read);
    cli.setOverwrittenOptionsAllowed(true);
    cli.parseArgs(args);
    return ClientSettings.resolve(read, invocation);
  }

  private String warnings() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shouldUseTheDefaultsWhenNothingIsGiven() throws Exception {
    ClientSettings settings = resolve(Map.of(), "app");

    assertEquals("http://127.0.0.1:8080", settings.endpoint().toString());
    assertNull(settings.authorization());
    assertEquals(OutputFormat.SEED, settings.format());
    assertEquals(ZoneId.systemDefault(), settings.zone());
    assertFalse(settings.color(), "not a terminal");
  }

  @Test
  void shouldPreferFlagsThenEnvironmentThenConfigFileWhenAllAreGiven() throws Exception {
    writeConfig("endpoint = http://file:1\ntoken = file-token\nformat = modern\n");
    Map<String, String> env =
        Map.of("LOGS_ENDPOINT", "http://env:2", "LOGS_TOKEN", "env-token", "LOGS_FORMAT", "json");

    ClientSettings fromFlags =
        resolve(
            env, "app", "--endpoint", "http://flag:3", "--token", "flag-token", "--format", "seed");
    assertEquals("http://flag:3", fromFlags.endpoint().toString());
    assertEquals("bearer flag-token", fromFlags.authorization());
    assertEquals(OutputFormat.SEED, fromFlags.format());

    ClientSettings fromEnv = resolve(env, "app");
    assertEquals("http://env:2", fromEnv.endpoint().toString());
    assertEquals("bearer env-token", fromEnv.authorization());
    assertEquals(OutputFormat.JSON, fromEnv.format());

    ClientSettings fromFile = resolve(Map.of(), "app");
    assertEquals("http://file:1", fromFile.endpoint().toString());
    assertEquals("bearer file-token", fromFile.authorization());
    assertEquals(OutputFormat.MODERN, fromFile.format());
  }

  @Test
  void shouldReadTheConfigFileUnderXdgConfigHomeWhenItIsSet() throws Exception {
    Path xdg = home.resolve("xdg");
    Files.createDirectories(xdg.resolve("loggregator"));
    Files.writeString(xdg.resolve("loggregator/config"), "# mine\n\nendpoint=https://x.example\n");

    assertEquals(
        "https://x.example",
        resolve(Map.of("XDG_CONFIG_HOME", xdg.toString()), "app").endpoint().toString());
  }

  @Test
  void shouldReadTheEarlierConfigFileWhenTheNewOneDoesNotExist() throws Exception {
    Path old = home.resolve(".config/logs/config.properties");
    Files.createDirectories(old.getParent());
    Files.writeString(old, "format=json\n");

    assertEquals(OutputFormat.JSON, resolve(Map.of(), "app").format());
  }

  @Test
  void shouldIgnoreABlankEnvironmentVariableWhenAConfigFileHasTheValue() throws Exception {
    writeConfig("format = json\n");

    assertEquals(OutputFormat.JSON, resolve(Map.of("LOGS_FORMAT", " "), "app").format());
  }

  @Test
  void shouldReadTheConfigFileNamedByTheFlagInsteadOfTheDefaultOne() throws Exception {
    writeConfig("format = json\n");
    Path other = home.resolve("other");
    Files.writeString(other, "format = modern\nendpoint = https://logs.example.com/base/\n");

    ClientSettings settings = resolve(Map.of(), "app", "--config", other.toString());

    assertEquals(OutputFormat.MODERN, settings.format());
    assertEquals("https://logs.example.com/base", settings.endpoint().toString());
  }

  @Test
  void shouldAcceptATokenWithOrWithoutBearerWhenGiven() throws Exception {
    assertEquals("bearer xyz", resolve(Map.of(), "app", "--token", "xyz").authorization());
    assertEquals("bearer xyz", resolve(Map.of(), "app", "--token", "bearer xyz").authorization());
    assertEquals(
        "bearer xyz", resolve(Map.of("LOGS_TOKEN", "Bearer  xyz\n"), "app").authorization());
  }

  @Test
  void shouldReadTheTokenFromTheTokenFileWithoutWarningWhenOnlyTheOwnerMayReadIt()
      throws Exception {
    Path file = home.resolve("token");
    Files.writeString(file, "file-token\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    ClientSettings settings =
        resolve(Map.of("LOGS_TOKEN", "env-token"), "app", "--token-file", file.toString());

    assertEquals("bearer file-token", settings.authorization(), "the flag wins over LOGS_TOKEN");
    assertEquals("", warnings());
  }

  @Test
  void shouldWarnLikeSshWhenOthersMayReadTheTokenFile() throws Exception {
    Path file = home.resolve("token");
    Files.writeString(file, "t0k3n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertEquals(
        "bearer t0k3n", resolve(Map.of(), "app", "--token-file", file.toString()).authorization());
    assertEquals(
        "Warning: the token file "
            + file
            + " holds a token and others may read it; run chmod 600 "
            + file
            + ".",
        warnings().strip());
  }

  @Test
  void shouldWarnWhenOthersMayReadAConfigFileThatHoldsAToken() throws Exception {
    Path config = writeConfig("token = t\n");
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r-----"));

    resolve(Map.of(), "app");

    assertTrue(warnings().startsWith("Warning: the config file " + config), warnings());
  }

  @Test
  void shouldReadTheConfigsTokenFileRelativeToTheConfigFile() throws Exception {
    writeConfig("token_file = my-token\n");
    Path token = home.resolve(".config/loggregator/my-token");
    Files.writeString(token, "from-config-file\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("r--------"));

    assertEquals("bearer from-config-file", resolve(Map.of(), "app").authorization());
  }

  @Test
  void shouldRefuseATokenAndATokenFileInOneConfigFile() throws Exception {
    writeConfig("token = a\ntoken_file = b\n");

    CommandException e = assertThrows(CommandException.class, () -> resolve(Map.of(), "app"));

    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("both token and token_file"), e.getMessage());
  }

  @Test
  void shouldNameTheEnvironmentVariableWhenItsValueIsBad() {
    CommandException e =
        assertThrows(CommandException.class, () -> resolve(Map.of("LOGS_FORMAT", "yaml"), "app"));

    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(
        e.getMessage().startsWith("LOGS_FORMAT must be seed, modern or json"), e.getMessage());
  }

  @Test
  void shouldNameTheFileAndKeyWhenAConfigValueIsBad() throws Exception {
    Path file = writeConfig("endpoint = localhost:8080\n");

    CommandException e = assertThrows(CommandException.class, () -> resolve(Map.of(), "app"));

    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().startsWith("endpoint in " + file + " must be"), e.getMessage());
  }

  @Test
  void shouldRefuseAnUnknownKeyARepeatedKeyOrALineWithoutEqualsNamingTheLine() throws Exception {
    Map<String, String> cases = new HashMap<>();
    cases.put("endpont = http://x:1\n", "Line 1 of the config file");
    cases.put("# c\nformat = json\nformat = seed\n", "Line 3 of the config file");
    cases.put("\nendpoint http://x:1\n", "Line 2 of the config file");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      writeConfig(c.getKey());

      CommandException e = assertThrows(CommandException.class, () -> resolve(Map.of(), "app"));

      assertEquals(ExitCode.USAGE, e.exitCode());
      assertTrue(e.getMessage().startsWith(c.getValue()), e.getMessage());
    }
  }

  @Test
  void shouldColourOnlyATerminalWithoutNoColorUnlessAskedWhenAuto() throws Exception {
    terminal = true;
    assertTrue(resolve(Map.of(), "app").color());
    assertFalse(resolve(Map.of("NO_COLOR", "1"), "app").color());
    assertTrue(resolve(Map.of("NO_COLOR", ""), "app").color(), "an empty NO_COLOR is unset");
    assertFalse(resolve(Map.of("TERM", "dumb"), "app").color());
    assertFalse(resolve(Map.of(), "app", "--color", "never").color());
    assertFalse(resolve(Map.of(), "app", "--format", "json").color(), "JSON stays pure");
    terminal = false;
    assertFalse(resolve(Map.of(), "app").color());
    assertTrue(resolve(Map.of("NO_COLOR", "1"), "app", "--color=always").color());
    writeConfig("color = always\n");
    assertTrue(resolve(Map.of(), "app").color());
    assertFalse(resolve(Map.of(), "app", "--color", "auto").color());
  }

  @Test
  void shouldUseTheZoneOfTheTzOptionWhenGiven() throws Exception {
    assertEquals(
        ZoneId.of("America/Los_Angeles"),
        resolve(Map.of(), "app", "--tz", "America/Los_Angeles").zone());
  }

  @Test
  void shouldTurnWebSocketSchemesIntoHttpOnesWhenGivenAsEndpoint() throws Exception {
    ClientSettings settings = resolve(Map.of(), "app", "--endpoint", "wss://logs.example.com");

    assertEquals("https://logs.example.com", settings.endpoint().toString());
    assertEquals(
        "wss://logs.example.com/apps/app/stream", settings.endpoint().stream("app").toString());
  }
}
