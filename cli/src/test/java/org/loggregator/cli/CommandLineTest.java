package org.loggregator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandLineTest {

  /** The {@code logs APP} command line, parsed as a run parses it. */
  static ReadCommand parse(String... args) {
    Invocation invocation = new Invocation(System.out, System.err, Map.of(), null, h -> {}, false);
    ReadCommand read = new ReadCommand(invocation);
    picocli.CommandLine cli = new picocli.CommandLine(read);
    cli.setOverwrittenOptionsAllowed(true);
    cli.parseArgs(args);
    return read;
  }

  @Test
  void shouldReadAppAndOptionsWhenTailing() {
    ReadCommand args = parse("--endpoint", "http://h:1", "my-app", "--format=json", "--recent");
    assertEquals("my-app", args.app);
    assertEquals("http://h:1", args.endpoint);
    assertEquals("json", args.format);
    assertTrue(args.recent);
    assertNull(args.token);
  }

  @Test
  void shouldKeepEveryValueWhenARepeatableOptionRepeats() {
    ReadCommand args =
        parse("app", "--source", "APP", "--source=RTR", "--instance", "0", "--type", "err");
    assertEquals(List.of("APP", "RTR"), args.sources);
    assertEquals(List.of("0"), args.instances);
    assertEquals(List.of("err"), args.types);
  }

  @Test
  void shouldTakeTheLastValueWhenASingleOptionRepeats() {
    assertEquals("seed", parse("app", "--format", "json", "--format", "seed").format);
  }

  @Test
  void shouldReadShortOptionsWhenGivenAsTailAndJournalctlDo() {
    ReadCommand args = parse("app", "-n", "20", "-f");
    assertEquals("20", args.lines);
    assertTrue(args.follow);
  }

  @Test
  void shouldAskForHelpWhenHelpAppearsAnywhere() {
    for (String[] args :
        List.of(
            new String[] {"app", "--recent", "-h"},
            new String[] {"help"},
            new String[] {"--help"})) {
      Run run = Run.of(args);
      assertEquals(0, run.status(), run.err());
      assertTrue(run.out().contains("Usage: logs "), run.out());
    }
    assertTrue(Run.of("help", "token").out().contains("Usage: logs token "));
    assertTrue(Run.of("token", "--help").out().contains("Usage: logs token "));
  }

  @Test
  void shouldTreatArgumentsAfterDoubleDashAsTheApp() {
    assertEquals("--weird-app", parse("--", "--weird-app").app);
    assertEquals("token", parse("--", "token").app, "an app may be named like a command");
  }

  @Test
  void shouldRefuseAnUnknownOptionNamingIt() {
    Run run = Run.of("app", "--colour");

    assertEquals(2, run.status());
    assertEquals("Unknown option --colour; run `logs --help` for the options.", run.err().strip());
  }

  @Test
  void shouldSayWhichCommandAnOptionBelongsToWhenGivenToAnother() {
    assertEquals(
        "Option --app belongs to `logs token`, not to `logs APP`.",
        Run.of("app", "--app", "x").err().strip());
    assertEquals(
        "Option --recent belongs to `logs APP`, not to `logs token`.",
        Run.of("token", "--app", "a", "--recent").err().strip());
    assertEquals("Option --recent takes no value.", Run.of("app", "--recent=yes").err().strip());
    assertEquals("Option --endpoint needs a value.", Run.of("app", "--endpoint").err().strip());
  }

  static Stream<Arguments> badCommandLines() {
    return Stream.of(
        Arguments.of(List.of(), "app id"),
        Arguments.of(List.of("--recent"), "app id"),
        Arguments.of(List.of("app", "--bogus"), "--bogus"),
        Arguments.of(List.of("app", "-x"), "-x"),
        Arguments.of(List.of("app", "--endpoint"), "--endpoint"),
        Arguments.of(List.of("app", "--token", "--recent"), "--token"),
        Arguments.of(List.of("app", "--recent=yes"), "--recent"),
        Arguments.of(List.of("app", "other-app"), "other-app"),
        Arguments.of(List.of("app", "--format", "xml"), "--format"),
        Arguments.of(List.of("app", "--format", ""), "--format"),
        Arguments.of(List.of("app", "--endpoint", "ftp://x"), "--endpoint"),
        Arguments.of(List.of("app", "--endpoint", "not a url"), "--endpoint"),
        Arguments.of(List.of("app", "--token", "two words"), "--token"),
        Arguments.of(List.of("app", "--tz", "Mars/Olympus"), "--tz"),
        Arguments.of(List.of("app", "--config", "/nonexistent/logs.properties"), "--config"),
        Arguments.of(List.of("app", "--app", "x"), "--app"),
        Arguments.of(List.of("app", "--force"), "--force"),
        Arguments.of(List.of("token"), "--app"),
        Arguments.of(List.of("token", "--app"), "--app"),
        Arguments.of(List.of("token", "--app", ""), "--app"),
        Arguments.of(List.of("token", "--app", "a", "--ttl", "forever"), "--ttl"),
        Arguments.of(List.of("token", "--app", "a", "--ttl", "0s"), "--ttl"),
        Arguments.of(List.of("token", "--app", "a", "--recent"), "--recent"),
        Arguments.of(List.of("token", "--app", "a", "extra"), "extra"),
        Arguments.of(List.of("token", "--app", "a", "--key", "/nonexistent/key.pem"), "--key"),
        Arguments.of(List.of("keygen", "--app", "a"), "--app"),
        Arguments.of(List.of("keygen", "--out"), "--out"),
        Arguments.of(List.of("app", "--lines", "-1"), "--lines"),
        Arguments.of(List.of("app", "-n", "10001"), "--lines"),
        Arguments.of(List.of("app", "-n", "ten"), "--lines"),
        Arguments.of(List.of("app", "--since", "yesterday"), "--since"),
        Arguments.of(List.of("app", "--since", "-5m"), "--since"),
        Arguments.of(List.of("app", "--since", "1969-12-31T23:59:59Z"), "--since"),
        Arguments.of(List.of("app", "--type", "warn"), "--type"),
        Arguments.of(List.of("app", "--source", " "), "--source"),
        Arguments.of(List.of("app", "--instance", ""), "--instance"),
        Arguments.of(List.of("app", "--color", "sometimes"), "--color"),
        Arguments.of(List.of("app", "--token", "t", "--token-file", "f"), "--token-file"),
        Arguments.of(List.of("app", "--token-file", "/nonexistent/token"), "--token-file"),
        Arguments.of(List.of("completion"), "SHELL"),
        Arguments.of(List.of("completion", "fish"), "bash or zsh"));
  }

  @ParameterizedTest
  @MethodSource("badCommandLines")
  void shouldExitTwoWithOneSentenceNamingTheFlagWhenTheCommandLineIsBad(
      List<String> args, String named) {
    Run run = Run.of(args.toArray(String[]::new));

    assertEquals(2, run.status(), run.err());
    assertTrue(run.errIsOneSentence(), "not one sentence: " + run.err());
    assertTrue(run.err().contains(named), "does not name " + named + ": " + run.err());
    assertEquals("", run.out());
  }

  @Test
  void shouldListEveryCommandOptionSettingAndExitCodeInHelp() {
    Run run = Run.of("--help");

    assertEquals(0, run.status());
    for (String word :
        List.of(
            "logs [-fhV]",
            "[APP]",
            "--recent",
            "--follow",
            "--lines",
            "--since",
            "--source",
            "--instance",
            "--type",
            "--color",
            "--endpoint",
            "--token",
            "--token-file",
            "--format",
            "--config",
            "token",
            "keygen",
            "completion",
            "LOGS_ENDPOINT",
            "LOGS_TOKEN",
            "LOGS_FORMAT",
            "NO_COLOR",
            "loggregator/config",
            "130")) {
      assertTrue(run.out().contains(word), "help lacks " + word);
    }
    assertEquals(run.out(), Run.of("help").out());
    String token = Run.of("token", "--help").out();
    for (String word : List.of("--app", "--firehose", "--admin", "--ttl", "--key")) {
      assertTrue(token.contains(word), "token help lacks " + word);
    }
    String keygen = Run.of("keygen", "--help").out();
    assertTrue(keygen.contains("--out") && keygen.contains("--force"), keygen);
  }

  @Test
  void shouldPrintACompletionScriptForBashAndTheSameWithItsPreludeForZsh() {
    Run bash = Run.of("completion", "bash");
    Run zsh = Run.of("completion", "zsh");

    assertEquals(0, bash.status(), bash.err());
    assertTrue(bash.out().contains("complete -F _complete_logs"), bash.out());
    for (String word : List.of("--recent", "--follow", "--color", "token", "keygen")) {
      assertTrue(bash.out().contains(word), "completion lacks " + word);
    }
    assertTrue(bash.out().contains("\"seed\" \"modern\" \"json\""), "format values");
    assertEquals(0, zsh.status(), zsh.err());
    assertEquals(CompletionCommand.ZSH_PRELUDE + bash.out(), zsh.out());
    assertTrue(zsh.out().startsWith("# zsh"), zsh.out());
    assertTrue(zsh.out().contains("autoload -U +X bashcompinit && bashcompinit"));
  }

  @Test
  void shouldPrintTheVersionWhenAsked() {
    Run run = Run.of("--version");

    assertEquals(0, run.status());
    assertTrue(run.out().startsWith("logs "), run.out());
    assertEquals(run.out(), Run.of("-V").out());
    assertEquals(run.out(), Run.of("version").out());
    assertEquals(run.out(), Run.of("token", "--version").out());
  }
}
