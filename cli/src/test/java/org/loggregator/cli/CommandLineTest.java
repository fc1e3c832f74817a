package org.loggregator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandLineTest {

  @Test
  void shouldReadAppAndOptionsWhenTailing() throws Exception {
    var args = CommandLine.parse("--endpoint", "http://h:1", "my-app", "--format=json", "--recent");
    assertEquals(CommandLine.Command.LOGS, args.command());
    assertEquals("my-app", args.app());
    assertEquals("http://h:1", args.value("--endpoint"));
    assertEquals("json", args.value("--format"));
    assertTrue(args.has("--recent"));
    assertNull(args.value("--token"));
  }

  @Test
  void shouldKeepEveryValueWhenAnOptionRepeats() throws Exception {
    var args = CommandLine.parse("token", "--app", "a", "--app=b", "--firehose");
    assertEquals(CommandLine.Command.TOKEN, args.command());
    assertEquals(List.of("a", "b"), args.values("--app"));
    assertEquals("b", args.value("--app"));
  }

  @Test
  void shouldTakeTheLastValueWhenASingleOptionRepeats() throws Exception {
    var args = CommandLine.parse("app", "--format", "json", "--format", "seed");
    assertEquals("seed", args.value("--format"));
  }

  @Test
  void shouldAskForHelpWhenHelpAppearsAnywhere() throws Exception {
    assertEquals(CommandLine.Command.HELP, CommandLine.parse("app", "--recent", "-h").command());
    assertEquals(CommandLine.Command.HELP, CommandLine.parse("help").command());
    assertEquals(CommandLine.Command.VERSION, CommandLine.parse("--version").command());
  }

  @Test
  void shouldTreatArgumentsAfterDoubleDashAsTheApp() throws Exception {
    var args = CommandLine.parse("--", "--weird-app");
    assertEquals("--weird-app", args.app());
  }

  @Test
  void shouldRefuseAnUnknownOptionNamingIt() {
    CommandException e =
        assertThrows(CommandException.class, () -> CommandLine.parse("app", "--colour"));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("--colour"), e.getMessage());
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
        Arguments.of(List.of("keygen", "--out"), "--out"));
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
  void shouldListEveryCommandOptionAndExitCodeInHelp() {
    Run run = Run.of("--help");

    assertEquals(0, run.status());
    for (String word :
        List.of(
            "logs APP",
            "--recent",
            "logs token",
            "logs keygen",
            "--endpoint",
            "--token",
            "--format",
            "--config",
            "LOGS_ENDPOINT",
            "LOGS_TOKEN",
            "LOGS_FORMAT",
            "--app",
            "--firehose",
            "--admin",
            "--ttl",
            "--key",
            "--out",
            "--force",
            "130")) {
      assertTrue(run.out().contains(word), "help lacks " + word);
    }
    assertEquals(run.out(), Run.of("help").out());
  }

  @Test
  void shouldPrintTheVersionWhenAsked() {
    Run run = Run.of("--version");

    assertEquals(0, run.status());
    assertTrue(run.out().startsWith("logs "), run.out());
  }
}
