package org.loggregator.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.loggregator.cli.client.LogMessageDecoder;
import org.loggregator.cli.client.RecentLogsClient;
import org.loggregator.cli.client.StreamTail;
import org.loggregator.cli.client.WebSocketStreamConnector;
import org.loggregator.cli.format.LogLineFormatter;
import org.loggregator.cli.format.OutputFormat;
import org.loggregator.cli.token.DevKeys;
import org.loggregator.cli.token.TokenClaims;
import org.loggregator.cli.token.TokenMinter;
import org.loggregator.protocol.events.LogMessage;

/**
 * The {@code logs} command: parses the command line, runs one command and returns its exit status.
 * One instance runs one command line; output goes to the given streams, never to {@code System}'s.
 */
public final class LogsCommand {
  /** The signing key when neither --key nor LOGS_TOKEN_KEY says otherwise (from the repo root). */
  static final Path DEFAULT_KEY = Path.of("target", "dev-keys", DevKeys.PRIVATE_KEY_FILE);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MAX_TTL = Duration.ofDays(3650);
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)?");

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final Path home;
  private final Consumer<Runnable> shutdownHooks;

  /**
   * @param out where log lines, tokens and help go
   * @param err where errors and reconnection notices go
   * @param env the process environment
   * @param home the user's home directory (for the default config file), or null
   * @param shutdownHooks registers what to run on Ctrl-C (a JVM shutdown hook in production)
   */
  public LogsCommand(
      PrintStream out,
      PrintStream err,
      Map<String, String> env,
      Path home,
      Consumer<Runnable> shutdownHooks) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.home = home;
    this.shutdownHooks = shutdownHooks;
  }

  /** Runs one command line and returns its exit status; prints failures as one sentence. */
  public int run(String... args) {
    try {
      return execute(CommandLine.parse(args)).status();
    } catch (CommandException e) {
      out.flush();
      err.println(e.getMessage());
      return e.exitCode().status();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.INTERRUPTED.status();
    } catch (RuntimeException e) {
      out.flush();
      err.println("Unexpected error: " + e + " (set LOGS_DEBUG=1 for the stack trace).");
      if (env.containsKey("LOGS_DEBUG")) {
        e.printStackTrace(err);
      }
      return ExitCode.UNEXPECTED.status();
    } finally {
      out.flush();
      err.flush();
    }
  }

  private ExitCode execute(CommandLine args) throws CommandException, InterruptedException {
    switch (args.command()) {
      case HELP -> {
        out.print(Help.TEXT);
        return ExitCode.OK;
      }
      case VERSION -> {
        out.println(Help.version());
        return ExitCode.OK;
      }
      case TOKEN -> {
        return token(args);
      }
      case KEYGEN -> {
        return keygen(args);
      }
      default -> {
        ClientSettings settings = ClientSettings.resolve(args, env, home);
        LogLineFormatter formatter =
            new LogLineFormatter(settings.format(), settings.zone(), args.app());
        HttpClient http =
            HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        return args.has("--recent")
            ? recent(args.app(), settings, formatter, http)
            : tail(args.app(), settings, formatter, http);
      }
    }
  }

  private ExitCode recent(
      String app, ClientSettings settings, LogLineFormatter formatter, HttpClient http)
      throws CommandException, InterruptedException {
    List<LogMessage> logs =
        new RecentLogsClient(http, settings.endpoint(), settings.authorization()).fetch(app);
    StringBuilder text = new StringBuilder(logs.size() * 128);
    for (LogMessage log : logs) {
      formatter.append(log, text);
    }
    out.print(text);
    out.flush();
    return ExitCode.OK;
  }

  private ExitCode tail(
      String app, ClientSettings settings, LogLineFormatter formatter, HttpClient http)
      throws CommandException {
    StreamTail[] tail = new StreamTail[1];
    AtomicBoolean outputClosed = new AtomicBoolean();
    tail[0] =
        new StreamTail(
            new WebSocketStreamConnector(http, settings.endpoint(), app, settings.authorization()),
            StreamTail.reconnectBackoff(() -> ThreadLocalRandom.current().nextDouble()),
            delay -> Thread.sleep(delay.toMillis()),
            bytes -> {
              if (!print(formatter, bytes)) {
                outputClosed.set(true); // such as `logs APP | head`: end quietly
                tail[0].stop();
              }
            },
            // JSON output stays pure JSON: the status line goes to stderr then
            settings.format() == OutputFormat.JSON ? err : out,
            err,
            System::nanoTime);
    shutdownHooks.accept(
        () -> {
          tail[0].stop();
          out.flush();
          err.flush();
        });
    ExitCode exit = tail[0].run();
    return outputClosed.get() ? ExitCode.OK : exit;
  }

  /**
   * Prints one envelope when it is a LogMessage; called on the socket's thread.
   *
   * @return false once the output cannot be written any more
   */
  private boolean print(LogLineFormatter formatter, byte[] envelope) {
    LogMessage log = LogMessageDecoder.decode(envelope);
    if (log != null) {
      out.print(formatter.format(log));
      out.flush();
    }
    return !out.checkError();
  }

  private ExitCode token(CommandLine args) throws CommandException {
    List<String> apps = args.values("--app");
    for (String app : apps) {
      if (app.isBlank()) {
        throw CommandException.usage("Option --app is empty; give an app id.");
      }
    }
    if (apps.isEmpty() && !args.has("--firehose") && !args.has("--admin")) {
      throw CommandException.usage(
          "Give at least one --app ID (or --firehose) to say what the token may read.");
    }
    Duration ttl = TokenClaims.DEFAULT_TTL;
    if (args.has("--ttl")) {
      ttl = parseTtl(args.value("--ttl"));
    }
    TokenClaims claims = TokenClaims.forApps(apps.stream().map(String::trim).toList(), ttl);
    if (args.has("--firehose")) {
      claims = claims.withFirehose();
    }
    if (args.has("--admin")) {
      claims = claims.withAdmin();
    }
    String issuer = args.value("--issuer");
    if (issuer != null) {
      if (issuer.isBlank()) {
        throw CommandException.usage("Option --issuer is empty; give a value or leave it out.");
      }
      claims = claims.withIssuer(issuer.trim());
    }
    List<String> audience = args.values("--audience");
    if (!audience.isEmpty()) {
      if (audience.stream().anyMatch(String::isBlank)) {
        throw CommandException.usage("Option --audience is empty; give a value or leave it out.");
      }
      claims = claims.withAudience(audience.stream().map(String::trim).toList());
    }
    String subject = args.value("--subject");
    if (subject == null) {
      String user = env.get("USER");
      subject = user == null || user.isBlank() ? TokenClaims.DEFAULT_SUBJECT : user;
    } else if (subject.isBlank()) {
      throw CommandException.usage("Option --subject is empty; give a value or leave it out.");
    }
    claims = claims.withSubject(subject.trim());
    TokenMinter minter;
    try {
      minter = new TokenMinter(signingKey(args));
    } catch (IllegalArgumentException e) {
      throw CommandException.usage(e.getMessage());
    }
    out.println(minter.mint(claims));
    return ExitCode.OK;
  }

  private PrivateKey signingKey(CommandLine args) throws CommandException {
    Path key;
    String origin;
    if (args.value("--key") != null) {
      key = Path.of(args.value("--key"));
      origin = " (from --key)";
    } else if (env.get("LOGS_TOKEN_KEY") != null && !env.get("LOGS_TOKEN_KEY").isBlank()) {
      key = Path.of(env.get("LOGS_TOKEN_KEY"));
      origin = " (from LOGS_TOKEN_KEY)";
    } else if (Files.exists(DEFAULT_KEY)) {
      key = DEFAULT_KEY;
      origin = "";
    } else {
      throw CommandException.usage(
          "No signing key: run `logs keygen` to create "
              + DEFAULT_KEY
              + ", or pass --key FILE or set LOGS_TOKEN_KEY.");
    }
    try {
      return DevKeys.readPrivateKey(key);
    } catch (NoSuchFileException e) {
      throw CommandException.usage(
          "The signing key "
              + key
              + origin
              + " does not exist: run `logs keygen` to create it, or pass --key FILE.");
    } catch (IOException e) {
      throw CommandException.usage(
          "The signing key " + key + origin + " cannot be read: " + e.getMessage() + ".");
    } catch (IllegalArgumentException e) {
      throw CommandException.usage(e.getMessage());
    }
  }

  /** A duration such as 90s, 30m, 24h or 7d (a bare number is seconds), from 1 s to 3650 d. */
  static Duration parseTtl(String text) throws CommandException {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    Duration ttl = null;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      ttl =
          switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
          };
    }
    if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw CommandException.usage(
          "Option --ttl must be a duration from 1s to 3650d such as 30m, 24h or 7d, but is \""
              + text
              + "\".");
    }
    return ttl;
  }

  private ExitCode keygen(CommandLine args) throws CommandException {
    Path dir;
    if (args.value("--out") != null) {
      if (args.value("--out").isBlank()) {
        throw CommandException.usage("Option --out is empty; give a directory.");
      }
      dir = Path.of(args.value("--out"));
    } else if (env.get("LOGS_TOKEN_KEY") != null && !env.get("LOGS_TOKEN_KEY").isBlank()) {
      Path parent = Path.of(env.get("LOGS_TOKEN_KEY")).toAbsolutePath().getParent();
      dir = parent;
    } else {
      dir = DEFAULT_KEY.getParent();
    }
    try {
      DevKeys.write(DevKeys.generate(), dir, args.has("--force"));
    } catch (FileAlreadyExistsException e) {
      throw CommandException.usage(
          e.getFile()
              + " already exists; pass --force to replace the pair (tokens signed with the old"
              + " key stop working).");
    } catch (IOException e) {
      throw new CommandException(
          ExitCode.UNEXPECTED,
          "Cannot write the key pair into " + dir + ": " + e.getMessage() + ".");
    }
    out.println(
        "Wrote "
            + dir.resolve(DevKeys.PRIVATE_KEY_FILE)
            + " (signs tokens; keep it private) and "
            + dir.resolve(DevKeys.PUBLIC_KEY_FILE)
            + " (verifies them: the controller's controller.tokenPublicKey).");
    return ExitCode.OK;
  }
}
