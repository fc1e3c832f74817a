package org.loggregator.agent.cli;

import java.io.IOException;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.loggregator.config.DopplerAddress;
import org.loggregator.config.HostPort;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.config.Settings;
import org.loggregator.protocol.AppIds;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.LogEnvelopeWriter;
import org.loggregator.protocol.SharedSecrets;

/**
 * Turns the agent's arguments, and the properties file {@code --config} names, into one {@link
 * AgentConfig}, validated once; every refusal is a {@link UsageException} of one sentence naming
 * the flag (or the key and file) to fix.
 *
 * <p>Syntax: {@code agent serve [options]} or {@code agent run [options] [--] command [args...]},
 * split as {@link AgentArguments} says; {@link AgentHelp} is the text of {@code --help}.
 */
public final class AgentCommandLine {

  private static final int MAX_APP_ID_BYTES = 256;

  /** The longest source instance of a pod's line: a pod name, '/', a container name. */
  private static final int MAX_POD_INSTANCE = 253 + 1 + 63;

  /** The outcome of parsing: the help was asked for, or a config to run. */
  public record Parsed(boolean help, AgentConfig config) {}

  private final AgentArguments arguments;

  private AgentCommandLine(AgentArguments arguments) {
    this.arguments = arguments;
  }

  /** Parses {@code args}, reading the {@code --config} file if one is named. */
  public static Parsed parse(String[] args) throws UsageException {
    AgentArguments arguments = AgentArguments.parse(args);
    if (arguments.help()) {
      return new Parsed(true, null);
    }
    AgentCommandLine commandLine = new AgentCommandLine(arguments);
    try {
      return new Parsed(false, commandLine.resolve());
    } catch (InvalidSettingException e) {
      throw new UsageException(commandLine.rephrase(e));
    }
  }

  /**
   * From --shared-secret, or the first line of --shared-secret-file: one, not both. As for every
   * key, a flag wins over the settings file; both flags, or both keys in the file, are refused. No
   * message repeats the value, nor the file's name (it could be the secret, given by mistake).
   */
  private SharedSecrets sharedSecret() throws UsageException {
    String inlineKey = Option.SHARED_SECRET.key();
    String fileKey = Option.SHARED_SECRET_FILE.key();
    Optional<String> inline = arguments.lookup(inlineKey).filter(v -> !v.isBlank());
    Optional<String> file = arguments.lookup(fileKey).filter(v -> !v.isBlank());
    if (inline.isPresent() && file.isPresent()) {
      boolean inlineFlag = arguments.isFlag(inlineKey);
      boolean fileFlag = arguments.isFlag(fileKey);
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
                + arguments.fileName()
                + ", not both (each names the same secret).");
      }
    }
    String value = inline.orElse(null);
    String name = arguments.where(inlineKey);
    if (file.isPresent()) {
      name = arguments.where(fileKey);
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

  private String rephrase(InvalidSettingException e) {
    String prefix = "Configuration value " + e.key();
    String message = e.getMessage();
    return message.startsWith(prefix)
        ? arguments.where(e.key()) + message.substring(prefix.length())
        : message;
  }

  private AgentConfig resolve() throws UsageException {
    Settings s = new Settings(arguments::lookup);
    boolean run = arguments.mode() == AgentConfig.Mode.RUN;

    String zone = s.name(Option.ZONE.key(), "z1");
    List<HostPort> dopplers = dopplers(s, zone);
    Optional<HostPort> controller =
        arguments.lookup(Option.CONTROLLER.key()).filter(v -> !v.isBlank()).isPresent()
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
                  arguments.where(Option.MULTILINE.key())
                      + " must be none or java, but is \""
                      + s.string(Option.MULTILINE.key(), "")
                      + "\".");
        };
    int rateLimit = s.integer(Option.RATE_LIMIT.key(), 0, 0, 10_000_000);
    int metricsPort = s.port(Option.METRICS_PORT.key(), run ? 0 : 14_823, true);
    Duration metricsInterval = seconds(s, Option.METRICS_INTERVAL, 5, 1, 3_600);
    String origin = s.name(Option.ORIGIN.key(), "agent");
    Duration stopTimeout = seconds(s, Option.STOP_TIMEOUT, 10, 0, 600);
    Duration dopplerRefresh = seconds(s, Option.DOPPLER_REFRESH, 10, 1, 3_600);
    boolean passThrough = s.bool(Option.PASS_THROUGH.key(), false);
    boolean quiet = s.bool(Option.QUIET.key(), false);

    String appId = "";
    String instance = s.name(Option.INSTANCE.key(), "0");
    String sourceType = s.name(Option.SOURCE_TYPE.key(), "APP");
    List<String> drains = List.of();
    if (run) {
      appId = appId();
      drains = drains();
      if (arguments.command().isEmpty()) {
        throw new UsageException(
            "Run mode needs a command after --, such as: agent run --app-id ID -- ./start.sh.");
      }
      checkLineFits(maxLine, origin, appId, sourceType, instance, drains);
    }
    Optional<AgentConfig.PodLogs> podLogs = Optional.empty();
    if (s.bool(Option.POD_LOGS.key(), false)) {
      podLogs = Optional.of(PodLogsOptions.read(s, arguments));
      String longest = "x".repeat(AppIds.MAX_READABLE_LENGTH);
      checkLineFits(maxLine, origin, longest, sourceType, "x".repeat(MAX_POD_INSTANCE), drains);
    }
    return new AgentConfig(
        arguments.mode(),
        zone,
        dopplers,
        controller,
        dopplerRefresh,
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
        arguments.command(),
        podLogs);
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
            arguments.where(key)
                + " lists no doppler of the agent's zone \""
                + zone
                + "\" (--zone).");
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
                            arguments.where(key)
                                + " must list HOST:PORT addresses separated by commas, but has \""
                                + item
                                + "\".")));
      }
      if (result.isEmpty()) {
        throw new UsageException(
            arguments.where(key) + " must list at least one HOST:PORT address.");
      }
    }
    Set<String> seen = new HashSet<>();
    for (HostPort d : result) {
      if (!seen.add(d.toString())) {
        throw new UsageException(arguments.where(key) + " lists " + d + " twice.");
      }
    }
    return result;
  }

  private String appId() throws UsageException {
    String key = Option.APP_ID.key();
    String appId = arguments.lookup(key).map(String::trim).orElse("");
    if (appId.isEmpty()) {
      throw new UsageException("Run mode needs --app-id, the app id of the child's logs.");
    }
    if (appId.getBytes(StandardCharsets.UTF_8).length > MAX_APP_ID_BYTES
        || appId.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new UsageException(
          arguments.where(key)
              + " must be at most "
              + MAX_APP_ID_BYTES
              + " bytes without spaces or control characters.");
    }
    return appId;
  }

  private List<String> drains() throws UsageException {
    String key = Option.DRAIN.key();
    List<String> urls = arguments.drainUrls();
    for (String url : urls) {
      // The message never repeats the URL: it may hold credentials.
      URI uri;
      try {
        uri = new URI(url.trim());
      } catch (URISyntaxException e) {
        throw new UsageException(arguments.where(key) + " has a value that is not a URL.");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("syslog") && !scheme.equals("syslog-tls") && !scheme.equals("https")) {
        throw new UsageException(
            arguments.where(key)
                + " has a URL with the scheme \""
                + scheme
                + "\"; a drain is syslog://, syslog-tls:// or https://.");
      }
      if (uri.getHost() == null) {
        throw new UsageException(
            arguments.where(key) + " has a " + scheme + " URL without a host.");
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
          arguments.where(Option.MAX_LINE_BYTES.key())
              + " must be at most "
              + (DatagramSignature.MAX_DATAGRAM - overhead)
              + " with this app id and these drains, so that every line fits one UDP datagram.");
    }
  }

  /** A byte size: a number, or one with K, KiB, M, MiB, G or GiB (all powers of 1024). */
  /** A duration option: its default and bounds in whole seconds, its value in any unit. */
  private static Duration seconds(
      Settings s, Option option, long defaultValue, long min, long max) {
    return s.duration(
        option.key(),
        Duration.ofSeconds(defaultValue),
        Duration.ofSeconds(min),
        Duration.ofSeconds(max));
  }

  private int bytes(Settings s, Option option, int defaultValue, int min, int max) {
    return (int) s.bytes(option.key(), defaultValue, min, max);
  }

  /** The bytes of a size, or -1 when it is not one (see {@link Settings#parseBytes}). */
  static long parseBytes(String text) {
    return Settings.parseBytes(text);
  }
}
