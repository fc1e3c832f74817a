package org.loggregator.cli;

import static java.nio.file.StandardCopyOption.COPY_ATTRIBUTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the package phase builds, as a user installs it: the launcher and the jar copied together
 * into a folder on the PATH (here through a symbolic link from another one), run from an unrelated
 * working directory; and the man pages.
 */
class LauncherIT {
  private static final Path TARGET = Path.of(System.getProperty("logs.target", "target"));

  @TempDir Path temp;

  private record Result(int status, String out) {}

  private Result run(Path bin, Path cwd, String... args) throws Exception {
    // As a shell runs it: found on the PATH, by name.
    List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", "exec logs \"$@\"", "sh"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.redirectErrorStream(true);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Result(p.exitValue(), out);
  }

  private Path install() throws IOException {
    Path installed = Files.createDirectories(temp.resolve("opt/logs"));
    // As cp does, the launcher keeps its mode (executable).
    Files.copy(TARGET.resolve("logs"), installed.resolve("logs"), COPY_ATTRIBUTES);
    Files.copy(TARGET.resolve("logs.jar"), installed.resolve("logs.jar"));
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("logs"), installed.resolve("logs"));
    return bin;
  }

  @Test
  void shouldRunFromAnyDirectoryWhenCopiedWithItsJarAndLinkedOntoThePath() throws Exception {
    Path bin = install();
    Path elsewhere = Files.createDirectories(temp.resolve("somewhere/else"));

    Result version = run(bin, elsewhere, "--version");
    Result help = run(bin, elsewhere, "--help");
    Result bad = run(bin, elsewhere, "app", "--bogus");

    assertEquals(0, version.status(), version.out());
    assertTrue(version.out().startsWith("logs "), version.out());
    assertEquals(0, help.status(), help.out());
    assertTrue(help.out().contains("Usage: logs "), help.out());
    assertEquals(2, bad.status(), bad.out());
  }

  @Test
  void shouldSayWhatIsMissingWhenTheJarWasNotCopiedAlong() throws Exception {
    Path bin = Files.createDirectories(temp.resolve("lonely"));
    Files.copy(TARGET.resolve("logs"), bin.resolve("logs"), COPY_ATTRIBUTES);

    Result result = run(bin, temp, "--version");

    assertEquals(1, result.status());
    assertTrue(result.out().contains("logs.jar is missing"), result.out());
  }

  @Test
  void shouldBuildAManPageForTheCommandAndEachSubcommand() throws Exception {
    for (String page : List.of("logs.1", "logs-token.1", "logs-keygen.1", "logs-completion.1")) {
      String troff = Files.readString(TARGET.resolve("man").resolve(page));
      assertTrue(troff.contains(".TH "), page);
    }
    String logs = Files.readString(TARGET.resolve("man/logs.1"));
    for (String option : List.of("recent", "follow", "lines", "since", "color", "token\\-file")) {
      assertTrue(logs.contains(option), "logs.1 lacks " + option);
    }
  }
}
