package org.loggregator.cli;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.loggregator.cli.client.LogEnvelope;
import org.loggregator.cli.client.RecentLogsClient;
import org.loggregator.cli.client.RecentThenLive;
import org.loggregator.cli.client.StreamTail;
import org.loggregator.cli.client.WebSocketStreamConnector;
import org.loggregator.cli.format.LogLineFormatter;
import org.loggregator.cli.format.OutputFormat;

/**
 * Reads one app's logs as a {@link ReadRequest} asks: the recent logs, the live ones, or the recent
 * then the live ones across a {@link RecentThenLive seam}. One instance runs once.
 */
final class AppLogs {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final Invocation invocation;
  private final ClientSettings settings;
  private final String app;
  private final ReadRequest request;
  private final HttpClient http;
  private final LogPrinter printer;

  AppLogs(Invocation invocation, ClientSettings settings, String app, ReadRequest request) {
    this.invocation = invocation;
    this.settings = settings;
    this.app = app;
    this.request = request;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.printer =
        new LogPrinter(
            invocation.out(),
            new LogLineFormatter(settings.format(), settings.zone(), app, settings.color()),
            request.filter());
  }

  ExitCode run() throws CommandException, InterruptedException {
    if (!request.recent()) {
      // As ever: "Connected, tailing..." on stdout, but for JSON, which stays pure.
      return tail(settings.format() == OutputFormat.JSON ? invocation.err() : invocation.out());
    }
    if (request.lines() == 0) {
      return request.follow() ? tail(invocation.err()) : ExitCode.OK;
    }
    if (!request.follow()) {
      return recent();
    }
    return recentThenLive();
  }

  private RecentLogsClient recentLogs() {
    return new RecentLogsClient(http, settings.endpoint(), settings.authorization());
  }

  private ExitCode recent() throws CommandException, InterruptedException {
    List<LogEnvelope> logs = recentLogs().fetch(app, request.query());
    int keep = request.linesKeptHere();
    if (keep >= 0) {
      List<LogEnvelope> passing =
          logs.stream().filter(e -> request.filter().accepts(e.log())).toList();
      logs = passing.subList(Math.max(0, passing.size() - keep), passing.size());
    }
    for (LogEnvelope log : logs) {
      if (!printer.print(log.log())) {
        break; // such as `logs APP --recent | head`: end quietly
      }
    }
    return ExitCode.OK;
  }

  /** Tails the app; stdout holds only log lines, the status line goes to {@code status}. */
  private ExitCode tail(PrintStream status) throws CommandException {
    AtomicBoolean outputClosed = new AtomicBoolean();
    StreamTail[] tail = new StreamTail[1];
    tail[0] =
        streamTail(
            bytes -> {
              if (!printer.print(bytes)) {
                outputClosed.set(true); // such as `logs APP | head`: end quietly
                tail[0].stop();
              }
            },
            status,
            StreamTail.FirstConnection.NONE);
    return run(tail[0], outputClosed);
  }

  /**
   * The recent logs, then the live ones: the stream is opened first and held back while the recent
   * logs are fetched and printed. The status line goes to stderr, so that stdout is the logs alone.
   */
  private ExitCode recentThenLive() throws CommandException {
    AtomicBoolean outputClosed = new AtomicBoolean();
    RecentLogsClient client = recentLogs();
    RecentThenLive seam =
        new RecentThenLive(
            query -> client.fetch(app, query),
            request.query(),
            request.filter(),
            request.linesKeptHere(),
            log -> printer.print(log),
            invocation.err());
    StreamTail[] tail = new StreamTail[1];
    tail[0] =
        streamTail(
            bytes -> {
              if (!seam.live(bytes)) {
                outputClosed.set(true);
                tail[0].stop();
              }
            },
            invocation.err(),
            () -> {
              seam.printRecent();
              if (!seam.outputOpen()) {
                outputClosed.set(true);
                tail[0].stop();
              }
            });
    return run(tail[0], outputClosed);
  }

  private StreamTail streamTail(
      Consumer<byte[]> envelopes, PrintStream status, StreamTail.FirstConnection first) {
    return new StreamTail(
        new WebSocketStreamConnector(http, settings.endpoint(), app, settings.authorization()),
        StreamTail.reconnectBackoff(() -> ThreadLocalRandom.current().nextDouble()),
        delay -> Thread.sleep(delay.toMillis()),
        envelopes,
        status,
        invocation.err(),
        System::nanoTime,
        first);
  }

  private ExitCode run(StreamTail tail, AtomicBoolean outputClosed) throws CommandException {
    invocation
        .shutdownHooks()
        .accept(
            () -> {
              tail.stop();
              invocation.out().flush();
              invocation.err().flush();
            });
    ExitCode exit = tail.run();
    return outputClosed.get() ? ExitCode.OK : exit;
  }
}
