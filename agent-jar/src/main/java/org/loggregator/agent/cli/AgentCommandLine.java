package org.loggregator.agent.cli;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.loggregator.config.DopplerAddress;
import org.loggregator.config.HostPort;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.config.Settings;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.LogEnvelopeWriter;
import org.loggregator.protocol.SharedSecrets;

/**
 * Turns the agent's arguments, and the properties file {@code --config} names, into one {@link
 * AgentConfig}, validated once; every refusal is a {@link UsageException} of one sentence naming
 * the flag (or the key and file) to fix.
 *
 * <p>Syntax: {@code agent serve [options]} or {@code agent run [options] [--] command [args...]}.
 * Options are {@code --name value} or {@code --name=value}; switches take no value ({@code
 * --pass-through}) or {@code =true}/{@code =false}. The command starts after {@code --} or at the
 * first argument that is not an option. A flag wins over the same key in the file; {@code --drain}
 * may be repeated (in the file: {@code drain} lists URLs separated by spaces or commas).
 */
public final class AgentCommandLine {

  private static final int MAX_APP_ID_BYTES = 256;

  /** The outcome of parsing: the help was asked for, or a config to run. */
  public record Parsed(boolean help, AgentConfig config) {}

  private final Map<String, String> flags = new HashMap<>();
  private final List<String> drainFlags = new ArrayList<>();
  private final Properties file = new Properties();
  private String fileName;
  private AgentConfig.Mode mode;
  private final List<String> command = new ArrayList<>();

  private AgentCommandLine() {}

  /** Parses {@code args}, reading the {@code --config} file if one is named. */
  public static Parsed parse(String[] args) throws UsageException {
    return new AgentCommandLine().parseArgs(args);
  }

  private Parsed parseArgs(String[] args) throws UsageException {
    if (args.length == 0) {
      throw new UsageException(
          "Missing mode: use 'agent serve' or 'agent run --app-id ID -- COMMAND' (see --help).");
    }
    String first = args[0];
    if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
      return new Parsed(true, null);
    }
    mode =
        switch (first) {
          case "serve" -> AgentConfig.Mode.SERVE;
          case "run" -> AgentConfig.Mode.RUN;
          default ->
              throw new UsageException(
                  "Unknown mode \"" + first + "\": use 'agent serve' or 'agent run' (see --help).");
        };
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        command.addAll(List.of(args).subList(i + 1, args.length));
        break;
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        if (mode == AgentConfig.Mode.RUN) {
          command.addAll(List.of(args).subList(i, args.length));
          break;
        }
        throw new UsageException(
            "Unexpected argument \"" + arg + "\": serve mode takes only options (see --help).");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      Option option =
          Option.byKey(name)
              .orElseThrow(() -> new UsageException("Unknown option --" + name + " (see --help)."));
      if (option == Option.HELP) {
        return new Parsed(true, null);
      }
      if (option.scope() == Option.Scope.RUN && mode == AgentConfig.Mode.SERVE) {
        throw new UsageException("Option " + option.flag() + " applies only to run mode.");
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (option.isSwitch()) {
        value = "true";
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException(
            "Option " + option.flag() + " needs a value (" + option.argument() + ").");
      }
      if (option.isRepeatable()) {
        drainFlags.add(value);
      } else if (flags.put(option.key(), value) != null) {
        throw new UsageException("Option " + option.flag() + " is given more than once.");
      }
    }
    if (flags.containsKey(Option.CONFIG.key())) {
      readFile(Path.of(flags.get(Option.CONFIG.key())));
    }
    try {
      return new Parsed(false, resolve());
    } catch (InvalidSettingException e) {
      throw new UsageException(rephrase(e));
    }
  }

  private void readFile(Path path) throws UsageException {
    fileName = path.toString();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      file.load(reader);
    } catch (NoSuchFileException e) {
      throw new UsageException("Option --config names a file that does not exist: " + path + ".");
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(
          "Option --config names a file that cannot be read: " + path + " (" + e + ").");
    }
    for (String key : file.stringPropertyNames()) {
      Optional<Option> option = Option.byKey(key);
      if (option.isEmpty() || option.get() == Option.CONFIG || option.get() == Option.HELP) {
        throw new UsageException("Unknown setting \"" + key + "\" in " + fileName + ".");
      }
    }
  }

  private Optional<String> lookup(String key) {
    String flag = flags.get(key);
    if (flag != null) {
      return Optional.of(flag);
    }
    if (mode == AgentConfig.Mode.SERVE
        && Option.byKey(key).map(o -> o.scope() == Option.Scope.RUN).orElse(false)) {
      return Optional.empty(); // a shared file may hold run-mode keys
    }
    return Optional.ofNullable(file.getProperty(key));
  }

  /**
   * From --shared-secret, or the first line of --shared-secret-file: one, not both. As for every
   * key, a flag wins over the settings file; both flags, or both keys in the file, are refused. No
   * message repeats the value, nor the file's name (it could be the secret, given by mistake).
   */
  private SharedSecrets sharedSecret() throws UsageException {
    String inlineKey = Option.SHARED_SECRET.key();
    String fileKey = Option.SHARED_SECRET_FILE.key();
    Optional<String> inline = lookup(inlineKey).filter(v -> !v.isBlank());
    Optional<String> file = lookup(fileKey).filter(v -> !v.isBlank());
    if (inline.isPresent() && file.isPresent()) {
      boolean inlineFlag = flags.containsKey(inlineKey);
      boolean fileFlag = flags.containsKey(fileKey);
      if (inlineFlag && !fileFlag) {
        file = Optional.empty();
      } else if (fileFlag && !inlineFlag) {
        inline = Optional.empty();
      } else if (inlineFlag) {
        throw new UsageException(
            "Give --shared-secret or --shared-secret-file, not both (each names the same secret).");
      } else {
        throw new UsageException(
            "Give shared-secret or shared-secret-file in "
                + fileName
                + ", not both (each names the same secret).");
      }
    }
    String value = inline.orElse(null);
    String name = where(inlineKey);
    if (file.isPresent()) {
      name = where(fileKey);
      try {
        Path path = Path.of(file.get());
        if (Files.size(path) > 64 * 1024) {
          throw new UsageException(name + " names a file larger than 64 KiB: give a secret file.");
        }
        value = Files.readAllLines(path, StandardCharsets.UTF_8).stream().findFirst().orElse("");
      } catch (NoSuchFileException | InvalidPathException e) {
        throw new UsageException(name + " names a file that does not exist.");
      } catch (AccessDeniedException e) {
        throw new UsageException(name + " names a file that this user may not read.");
      } catch (CharacterCodingException e) {
        throw new UsageException(name + " names a file that is not UTF-8 text.");
      } catch (IOException e) {
        throw new UsageException(name + " names a file that cannot be read (such as a directory).");
      }
    }
    try {
      return SharedSecrets.parse(value, name);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** "Option --key" or "Setting key in FILE", as the value came. */
  private String where(String key) {
    if (flags.containsKey(key) || (key.equals(Option.DRAIN.key()) && !drainFlags.isEmpty())) {
      return "Option --" + key;
    }
    if (fileName != null && file.getProperty(key) != null) {
      return "Setting " + key + " in " + fileName;
    }
    return "Option --" + key;
  }

  private String rephrase(InvalidSettingException e) {
    String prefix = "Configuration value " + e.key();
    String message = e.getMessage();
    return message.startsWith(prefix)
        ? where(e.key()) + message.substring(prefix.length())
        : message;
  }

  private AgentConfig resolve() throws UsageException {
    Settings s = new Settings(this::lookup);
    boolean run = mode == AgentConfig.Mode.RUN;

    String zone = s.name(Option.ZONE.key(), "z1");
    List<HostPort> dopplers = dopplers(s, zone);
    Optional<HostPort> controller =
        lookup(Option.CONTROLLER.key()).filter(v -> !v.isBlank()).isPresent()
            ? Optional.of(s.hostPort(Option.CONTROLLER.key(), null))
            : Optional.empty();
    SharedSecrets secret = sharedSecret();

    String ingressText = s.string(Option.INGRESS.key(), run ? "off" : "127.0.0.1:3457");
    Optional<HostPort> ingress =
        ingressText.equalsIgnoreCase("off")
            ? Optional.empty()
            : Optional.of(s.hostPort(Option.INGRESS.key(), ingressText));
    int ingressBuffer = bytes(s, Option.INGRESS_BUFFER, 64 << 20, 64 << 10, 1 << 30);
    int queue = bytes(s, Option.QUEUE_BYTES, 8 << 20, 1 << 20, 1 << 30);
    queue = Integer.highestOneBit(queue) == queue ? queue : Integer.highestOneBit(queue) << 1;
    int maxLine = s.integer(Option.MAX_LINE_BYTES.key(), 61_440, 256, 65_000);
    AgentConfig.Multiline multiline =
        switch (s.string(Option.MULTILINE.key(), "none").toLowerCase(Locale.ROOT)) {
          case "none" -> AgentConfig.Multiline.NONE;
          case "java" -> AgentConfig.Multiline.JAVA;
          default ->
              throw new UsageException(
                  where(Option.MULTILINE.key())
                      + " must be none or java, but is \""
                      + s.string(Option.MULTILINE.key(), "")
                      + "\".");
        };
    int rateLimit = s.integer(Option.RATE_LIMIT.key(), 0, 0, 10_000_000);
    int metricsPort = s.port(Option.METRICS_PORT.key(), run ? 0 : 14_823, true);
    Duration metricsInterval =
        s.duration(
            Option.METRICS_INTERVAL.key(),
            Duration.ofSeconds(5),
            Duration.ofSeconds(1),
            Duration.ofHours(1));
    String origin = s.name(Option.ORIGIN.key(), "agent");
    Duration stopTimeout =
        s.duration(
            Option.STOP_TIMEOUT.key(),
            Duration.ofSeconds(10),
            Duration.ZERO,
            Duration.ofMinutes(10));
    boolean passThrough = s.bool(Option.PASS_THROUGH.key(), false);
    boolean quiet = s.bool(Option.QUIET.key(), false);

    String appId = "";
    String instance = s.name(Option.INSTANCE.key(), "0");
    String sourceType = s.name(Option.SOURCE_TYPE.key(), "APP");
    List<String> drains = List.of();
    if (run) {
      appId = appId();
      drains = drains();
      if (command.isEmpty()) {
        throw new UsageException(
            "Run mode needs a command after --, such as: agent run --app-id ID -- ./start.sh.");
      }
      checkLineFits(maxLine, origin, appId, sourceType, instance, drains);
    }
    return new AgentConfig(
        mode,
        zone,
        dopplers,
        controller,
        secret,
        ingress,
        ingressBuffer,
        queue,
        maxLine,
        multiline,
        rateLimit,
        metricsPort,
        metricsInterval,
        origin,
        appId,
        instance,
        sourceType,
        drains,
        passThrough,
        stopTimeout,
        quiet,
        command);
  }

  private List<HostPort> dopplers(Settings s, String zone) throws UsageException {
    String key = Option.DOPPLERS.key();
    String text = s.string(key, "127.0.0.1:3458");
    List<HostPort> result = new ArrayList<>();
    if (text.contains(";") || text.contains("://")) {
      for (DopplerAddress d : DopplerAddress.parseList(key, text)) {
        if (d.zone().equals(zone)) {
          result.add(d.udp());
        }
      }
      if (result.isEmpty()) {
        throw new UsageException(
            where(key) + " lists no doppler of the agent's zone \"" + zone + "\" (--zone).");
      }
    } else {
      for (String item : text.split("[,\\s]+")) {
        if (item.isEmpty()) {
          continue;
        }
        result.add(
            HostPort.parse(item)
                .orElseThrow(
                    () ->
                        new UsageException(
                            where(key)
                                + " must list HOST:PORT addresses separated by commas, but has \""
                                + item
                                + "\".")));
      }
      if (result.isEmpty()) {
        throw new UsageException(where(key) + " must list at least one HOST:PORT address.");
      }
    }
    Set<String> seen = new HashSet<>();
    for (HostPort d : result) {
      if (!seen.add(d.toString())) {
        throw new UsageException(where(key) + " lists " + d + " twice.");
      }
    }
    return result;
  }

  private String appId() throws UsageException {
    String key = Option.APP_ID.key();
    String appId = lookup(key).map(String::trim).orElse("");
    if (appId.isEmpty()) {
      throw new UsageException("Run mode needs --app-id, the app id of the child's logs.");
    }
    if (appId.getBytes(StandardCharsets.UTF_8).length > MAX_APP_ID_BYTES
        || appId.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new UsageException(
          where(key)
              + " must be at most "
              + MAX_APP_ID_BYTES
              + " bytes without spaces or control characters.");
    }
    return appId;
  }

  private List<String> drains() throws UsageException {
    String key = Option.DRAIN.key();
    List<String> urls = new ArrayList<>();
    if (!drainFlags.isEmpty()) {
      urls.addAll(drainFlags);
    } else {
      for (String item : file.getProperty(key, "").split("[,\\s]+")) {
        if (!item.isEmpty()) {
          urls.add(item);
        }
      }
    }
    for (String url : urls) {
      // The message never repeats the URL: it may hold credentials.
      URI uri;
      try {
        uri = new URI(url.trim());
      } catch (URISyntaxException e) {
        throw new UsageException(where(key) + " has a value that is not a URL.");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("syslog") && !scheme.equals("syslog-tls") && !scheme.equals("https")) {
        throw new UsageException(
            where(key)
                + " has a URL with the scheme \""
                + scheme
                + "\"; a drain is syslog://, syslog-tls:// or https://.");
      }
      if (uri.getHost() == null) {
        throw new UsageException(where(key) + " has a " + scheme + " URL without a host.");
      }
    }
    return urls.stream().map(String::trim).distinct().toList();
  }

  /** Refuses a maximum line size whose envelope would not fit one signed datagram. */
  private void checkLineFits(
      int maxLine,
      String origin,
      String appId,
      String sourceType,
      String instance,
      List<String> drains)
      throws UsageException {
    LogEnvelopeWriter.Builder b =
        LogEnvelopeWriter.builder(origin)
            .appId(appId)
            .sourceType(sourceType)
            .sourceInstance(instance);
    if (!drains.isEmpty()) {
      b.tag("drain_urls", String.join(" ", drains));
    }
    LogEnvelopeWriter writer = b.build();
    int overhead =
        writer.encodedLength(-1, 0, "line_part".length(), 21) + DatagramSignature.HMAC_LENGTH + 3;
    if (overhead + maxLine > DatagramSignature.MAX_DATAGRAM) {
      throw new UsageException(
          where(Option.MAX_LINE_BYTES.key())
              + " must be at most "
              + (DatagramSignature.MAX_DATAGRAM - overhead)
              + " with this app id and these drains, so that every line fits one UDP datagram.");
    }
  }

  /** A byte size: a number, or one with K, KiB, M, MiB, G or GiB (all powers of 1024). */
  private int bytes(Settings s, Option option, int defaultValue, int min, int max) {
    return (int) s.bytes(option.key(), defaultValue, min, max);
  }

  /** The bytes of a size, or -1 when it is not one (see {@link Settings#parseBytes}). */
  static long parseBytes(String text) {
    return Settings.parseBytes(text);
  }

  private static void wrap(StringBuilder out, String text, int indent, int width) {
    int column = 0;
    for (String word : text.split(" ")) {
      if (column > indent && column + 1 + word.length() > width) {
        out.append('\n');
        column = 0;
      }
      if (column == 0) {
        out.append(" ".repeat(indent));
        column = indent;
      } else {
        out.append(' ');
        column++;
      }
      out.append(word);
      column += word.length();
    }
    out.append('\n');
  }

  /** The text --help prints. */
  public static String help() {
    StringBuilder s = new StringBuilder();
    s.append(
        """
        Usage: java -jar agent.jar serve [OPTIONS]
               java -jar agent.jar run --app-id ID [OPTIONS] [--] COMMAND [ARGS...]

        serve  Forward the unsigned dropsonde envelopes that emitters send to the UDP ingress.
        run    Run COMMAND and send each line of its stdout and stderr as a LogMessage; exit
               with its exit code. SIGTERM, SIGINT and SIGHUP to the agent stop the child.

        Every envelope is signed with the shared secret (--shared-secret or
        --shared-secret-file: required) and sent by UDP to the doppler of the zone that owns its
        app id (or to --controller). Options are --name VALUE or --name=VALUE; the same names
        without dashes are the keys of the --config properties file.

        Options:
        """);
    for (Option o : Option.values()) {
      StringBuilder text = new StringBuilder(o.description());
      if (o.scope() == Option.Scope.RUN) {
        text.append(" Run mode only.");
      }
      if (!o.defaultText().isEmpty()) {
        text.append(" Default: ").append(o.defaultText()).append('.');
      }
      String head = "  " + o.flag() + (o.isSwitch() ? "" : " " + o.argument());
      s.append(head).append('\n');
      wrap(s, text.toString(), 6, 92);
    }
    s.append(
        """

        Exit codes: 0 done (serve: stopped by SIGTERM or SIGINT); in run mode the child's exit
        code (128+N when a signal N ended it); 2 bad command line or settings (such as a
        missing, short or published shared secret); 1 the agent could not start (such as a port
        in use); 126 the command cannot be executed; 127 the command was not found.
        """);
    return s.toString();
  }
}
