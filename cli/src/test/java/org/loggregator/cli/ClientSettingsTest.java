package org.loggregator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loggregator.cli.format.OutputFormat;

class ClientSettingsTest {
  @TempDir Path home;

  private Path writeConfig(String text) throws Exception {
    Path file = home.resolve(".config/logs/config.properties");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  private ClientSettings resolve(Map<String, String> env, String... args) throws Exception {
    return ClientSettings.resolve(CommandLine.parse(args), env, home);
  }

  @Test
  void shouldUseTheDefaultsWhenNothingIsGiven() throws Exception {
    ClientSettings settings = resolve(Map.of(), "app");

    assertEquals("http://127.0.0.1:8080", settings.endpoint().toString());
    assertNull(settings.authorization());
    assertEquals(OutputFormat.SEED, settings.format());
    assertEquals(ZoneId.systemDefault(), settings.zone());
  }

  @Test
  void shouldPreferFlagsThenEnvironmentThenConfigFileWhenAllAreGiven() throws Exception {
    writeConfig("endpoint=http://file:1\ntoken=file-token\nformat=modern\n");
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
  void shouldIgnoreABlankEnvironmentVariableWhenAConfigFileHasTheValue() throws Exception {
    writeConfig("format=json\n");

    assertEquals(OutputFormat.JSON, resolve(Map.of("LOGS_FORMAT", " "), "app").format());
  }

  @Test
  void shouldReadTheConfigFileNamedByTheFlagInsteadOfTheDefaultOne() throws Exception {
    writeConfig("format=json\n");
    Path other = home.resolve("other.properties");
    Files.writeString(other, "format=modern\nendpoint=https://logs.example.com/base/\n");

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
  void shouldNameTheEnvironmentVariableWhenItsValueIsBad() {
    CommandException e =
        assertThrows(CommandException.class, () -> resolve(Map.of("LOGS_FORMAT", "yaml"), "app"));

    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(
        e.getMessage().startsWith("LOGS_FORMAT must be seed, modern or json"), e.getMessage());
  }

  @Test
  void shouldNameTheFileAndKeyWhenAConfigValueIsBad() throws Exception {
    Path file = writeConfig("endpoint=localhost:8080\n");

    CommandException e = assertThrows(CommandException.class, () -> resolve(Map.of(), "app"));

    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().startsWith("endpoint in " + file + " must be"), e.getMessage());
  }

  @Test
  void shouldRefuseAnUnknownKeyWhenTheConfigFileHasOne() throws Exception {
    writeConfig("endpont=http://x:1\n");

    CommandException e = assertThrows(CommandException.class, () -> resolve(Map.of(), "app"));

    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("\"endpont\""), e.getMessage());
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
