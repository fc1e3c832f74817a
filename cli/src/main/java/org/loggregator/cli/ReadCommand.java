package org.loggregator.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code logs APP}: the command line of reading an app's logs, checked and handed to {@link
 * AppLogs}. Options keep their text as given; {@link ClientSettings} and {@link ReadRequest} check
 * each and name it when it is wrong. Holds one command line; not thread-safe.
 */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    versionProvider = Help.Version.class,
    sortOptions = false,
    headerHeading = "",
    header =
        "Read an app's logs from a Loggregator traffic controller, and mint development tokens.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Without --recent, --lines or --since, tails the app: prints \"Connected, tailing...\", then"
          + " each log line as it comes, and reconnects with backoff (1 s doubling to 30 s) when"
          + " the connection drops. With one of them, prints the recent logs, oldest first, and"
          + " exits; add --follow to go on with the live logs, none missed or printed twice at the"
          + " seam. Control characters in log lines are shown escaped (\\x1b), never sent to the"
          + " terminal."
    },
    parameterListHeading = "%nArguments:%n",
    optionListHeading = "%nOptions:%n",
    commandListHeading = "%nCommands:%n",
    footer = Help.FOOTER)
final class ReadCommand implements Callable<Integer> {
  private final Invocation invocation;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "APP",
      description = "the app id whose logs to read")
  String app;

  @Option(
      names = "--recent",
      description = "print the recent logs (all the server keeps), oldest first, then exit")
  boolean recent;

  @Option(
      names = {"-n", "--lines"},
      paramLabel = "N",
      description = "print only the last N recent log messages (0 to 10000)")
  String lines;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description =
          "print the recent logs from then on: a duration back from now (30s, 10m, 1h, 2d) or an"
              + " RFC 3339 time (2024-05-01T12:00:00Z)")
  String since;

  @Option(
      names = {"-f", "--follow"},
      description =
          "after the recent logs, go on with the live ones (the default without --recent,"
              + " --lines or --since)")
  boolean follow;

  @Option(
      names = "--source",
      paramLabel = "TYPE",
      description = "only lines of this source type (APP, RTR, STG, LGR, ...); repeat for more")
  List<String> sources = new ArrayList<>();

  @Option(
      names = "--instance",
      paramLabel = "N",
      description = "only lines of this source instance; repeat for more")
  List<String> instances = new ArrayList<>();

  @Option(
      names = "--type",
      paramLabel = "out|err",
      completionCandidates = Candidates.MessageTypes.class,
      description = "only lines of stdout (out) or stderr (err); repeat for both")
  List<String> types = new ArrayList<>();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      completionCandidates = Candidates.Formats.class,
      description = {
        "seed (default): Oct 3 15:09:26 APP App/0 STDERR line",
        "modern: 2013-10-03T15:09:26.00-0700 [APP/0] OUT line",
        "json: one object per line (timestamp, app_id, source_type, source_instance,"
            + " message_type, message); stdout holds only JSON"
      })
  String format;

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      completionCandidates = Candidates.ColorModes.class,
      description =
          "auto (default: when stdout is a terminal and NO_COLOR is unset), always or never:"
              + " stderr lines red, LGR notices bold yellow; never for json")
  String color;

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "the traffic controller (default http://127.0.0.1:8080; https:// for TLS)")
  String endpoint;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "the bearer token, with or without \"bearer \" (others see it in ps: prefer"
              + " --token-file or LOGS_TOKEN)")
  String token;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "read the token from FILE (warns when others may read it)")
  String tokenFile;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "the config file (default $XDG_CONFIG_HOME/loggregator/config)")
  String config;

  /** The zone of printed times; for tests, which need a fixed one. */
  @Option(names = "--tz", hidden = true)
  String tz;

  ReadCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws CommandException, InterruptedException {
    if (app == null) {
      throw CommandException.usage(
          "Give the app id whose logs to read, as in `logs APP`; run `logs --help` for more.");
    }
    if (app.isBlank()) {
      throw CommandException.usage("The app id is empty; give one, as in `logs APP`.");
    }
    ClientSettings settings = ClientSettings.resolve(this, invocation);
    ReadRequest request = ReadRequest.of(this, Instant.now());
    return new AppLogs(invocation, settings, app, request).run().status();
  }
}
