package org.loggregator.agent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loggregator.config.HostPort;
import org.loggregator.protocol.TestSecrets;

class AgentCommandLineTest {

  /**
   * {@code args} with {@code --shared-secret} {@link TestSecrets#SECRET} after the mode, for the
   * tests that are not about the secret: unless they name a secret themselves (flag or settings
   * file) or have no mode.
   */
  static String[] withSecret(String... args) {
    boolean mode = args.length > 0 && (args[0].equals("serve") || args[0].equals("run"));
    for (String arg : args) {
      if (arg.equals("--")) {
        break;
      }
      if (arg.startsWith("--shared-secret") || arg.startsWith("--config")) {
        return args;
      }
    }
    if (!mode) {
      return args;
    }
    List<String> with = new ArrayList<>(List.of(args));
    with.addAll(1, List.of("--shared-secret", TestSecrets.SECRET));
    return with.toArray(String[]::new);
  }

  /** Parses exactly {@code args}. */
  static AgentConfig parseExactly(String... args) throws UsageException {
    AgentCommandLine.Parsed parsed = AgentCommandLine.parse(args);
    assertFalse(parsed.help());
    return parsed.config();
  }

  /** The refusal of exactly {@code args}: one sentence. */
  static String refusalExactly(String... args) {
    UsageException e = assertThrows(UsageException.class, () -> AgentCommandLine.parse(args));
    String message = e.getMessage();
    assertTrue(message.endsWith("."), "one sentence: " + message);
    assertFalse(message.contains("\n"), "one line: " + message);
    return message;
  }

  private static AgentConfig parse(String... args) throws UsageException {
    return parseExactly(withSecret(args));
  }

  private static String refusal(String... args) {
    return refusalExactly(withSecret(args));
  }

  @Test
  void shouldUseTheDocumentedDefaultsWhenServingWithoutOptions() throws Exception {
    AgentConfig c = parse("serve");
    assertEquals(AgentConfig.Mode.SERVE, c.mode());
    assertEquals("z1", c.zone());
    assertEquals(List.of(new HostPort("127.0.0.1", 3458)), c.dopplers());
    assertEquals(Optional.empty(), c.controller());
    assertEquals(Optional.of(new HostPort("127.0.0.1", 3457)), c.ingress());
    assertEquals(14_823, c.metricsPort());
    assertEquals(8 << 20, c.queueBytes());
    assertEquals(64 << 20, c.ingressBufferBytes());
    assertEquals(Duration.ofSeconds(5), c.metricsInterval());
    assertEquals(0, c.rateLimit());
    assertEquals(1, c.sharedSecret().size());
    assertEquals("agent", c.origin());
    assertEquals(Optional.empty(), c.podLogs());
  }

  @Test
  void shouldReadThePodLogOptionsWhenServingPodLogs() throws Exception {
    AgentConfig c =
        parse(
            "serve",
            "--pod-logs",
            "--kubernetes-api",
            "https://10.96.0.1:443",
            "--source-type",
            "APP-WEB",
            "--max-line-bytes",
            "16384");
    AgentConfig.PodLogs pods = c.podLogs().orElseThrow();
    assertEquals(Path.of("/var/log/pods"), pods.directory());
    assertEquals("loggregator/app-id", pods.appIdLabel());
    assertEquals(java.net.URI.create("https://10.96.0.1:443"), pods.api());
    assertEquals(
        Path.of("/var/run/secrets/kubernetes.io/serviceaccount"), pods.serviceAccountDir());
    assertEquals("APP-WEB", c.sourceType());
    assertEquals(16_384, c.maxLineBytes());

    AgentConfig.PodLogs other =
        parse(
                "serve",
                "--pod-logs=true",
                "--pod-logs-dir",
                "/host/pods",
                "--app-id-label",
                "example.org/app_id",
                "--kubernetes-api",
                "https://api.example.org:6443",
                "--service-account-dir",
                "/sa")
            .podLogs()
            .orElseThrow();
    assertEquals(
        new AgentConfig.PodLogs(
            Path.of("/host/pods"),
            "example.org/app_id",
            java.net.URI.create("https://api.example.org:6443"),
            Path.of("/sa")),
        other);
    assertEquals(
        java.net.URI.create("https://10.96.0.1:443"),
        PodLogsOptions.inClusterApi("10.96.0.1", "443"));
    assertEquals(
        java.net.URI.create("https://[fd00::1]:443"),
        PodLogsOptions.inClusterApi("fd00::1", "443"));
    assertEquals(null, PodLogsOptions.inClusterApi("10.0.0.1", ""));
    assertEquals(null, PodLogsOptions.inClusterApi(null, "443"));
    assertEquals(null, PodLogsOptions.inClusterApi("bad host", "443"));
  }

  @Test
  void shouldNameTheFlagWhenAPodLogOptionIsBadOrInRunMode() {
    assertEquals(
        "Option --pod-logs applies only to serve mode.",
        refusal("run", "--app-id", "a", "--pod-logs", "--", "x"));
    assertEquals(
        "Option --kubernetes-api must be an https URL: the token must not travel in clear.",
        refusal("serve", "--pod-logs", "--kubernetes-api", "http://127.0.0.1:8080"));
    for (String label : new String[] {"", "a b", "-x", "x/", "/x", "a/b/c", "Example.org/x"}) {
      if (label.isEmpty()) {
        continue; // blank counts as absent: the default
      }
      String message =
          refusal(
              "serve",
              "--pod-logs",
              "--kubernetes-api",
              "https://127.0.0.1",
              "--app-id-label",
              label);
      assertTrue(message.startsWith("Option --app-id-label must be a label key"), message);
    }
    if (System.getenv("KUBERNETES_SERVICE_HOST") == null) {
      assertTrue(
          refusal("serve", "--pod-logs").startsWith("Option --pod-logs needs the Kubernetes API"));
    }
  }

  @Test
  void shouldTurnIngressAndMetricsOffByDefaultWhenRunningAChild() throws Exception {
    AgentConfig c = parse("run", "--app-id", "app-1", "--", "java", "-jar", "app.jar");
    assertEquals(AgentConfig.Mode.RUN, c.mode());
    assertEquals(Optional.empty(), c.ingress());
    assertEquals(0, c.metricsPort());
    assertEquals("app-1", c.appId());
    assertEquals("0", c.instance());
    assertEquals("APP", c.sourceType());
    assertEquals(61_440, c.maxLineBytes());
    assertEquals(AgentConfig.Multiline.NONE, c.multiline());
    assertEquals(List.of("java", "-jar", "app.jar"), c.command());
  }

  @Test
  void shouldAcceptBothFlagFormsAndSwitchesWhenParsing() throws Exception {
    AgentConfig c =
        parse(
            "run",
            "--app-id=a",
            "--instance",
            "3",
            "--pass-through",
            "--multiline=java",
            "--queue-bytes",
            "2MiB",
            "--rate-limit=100",
            "--quiet=false",
            "./start.sh",
            "--app-id",
            "belongs-to-the-child");
    assertEquals("3", c.instance());
    assertTrue(c.passThrough());
    assertFalse(c.quiet());
    assertEquals(AgentConfig.Multiline.JAVA, c.multiline());
    assertEquals(2 << 20, c.queueBytes());
    assertEquals(100, c.rateLimit());
    assertEquals(List.of("./start.sh", "--app-id", "belongs-to-the-child"), c.command());
  }

  @Test
  void shouldRoundTheQueueUpToAPowerOfTwoWhenItIsNotOne() throws Exception {
    assertEquals(4 << 20, parse("serve", "--queue-bytes", "3000000").queueBytes());
  }

  @Test
  void shouldCollectEveryDrainWhenTheFlagIsRepeated() throws Exception {
    AgentConfig c =
        parse(
            "run",
            "--app-id",
            "a",
            "--drain",
            "syslog://logs.example.org:514",
            "--drain=https://user:pass@drain.example.org/logs",
            "--",
            "true");
    assertEquals(
        "syslog://logs.example.org:514 https://user:pass@drain.example.org/logs", c.drainUrlsTag());
  }

  @Test
  void shouldReadTheSettingsFileAndLetFlagsWinWhenBothSetAKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.properties");
    Files.writeString(
        file,
        "dopplers=10.0.0.5:3458, 10.0.0.6:3458\nrate-limit=50\nzone=z2\n"
            + "drain=syslog://a:1 syslog-tls://b:2\nshared-secret="
            + TestSecrets.SECRET
            + "\n");
    AgentConfig c =
        parse("run", "--config", file.toString(), "--rate-limit", "7", "--app-id", "x", "--", "y");
    assertEquals(
        List.of(new HostPort("10.0.0.5", 3458), new HostPort("10.0.0.6", 3458)), c.dopplers());
    assertEquals(7, c.rateLimit());
    assertEquals("z2", c.zone());
    assertEquals(List.of("syslog://a:1", "syslog-tls://b:2"), c.drains());
    assertArrayEquals(
        TestSecrets.SECRET.getBytes(StandardCharsets.UTF_8), c.sharedSecret().signing());
  }

  @Test
  void shouldKeepOnlyTheDopplersOfItsZoneWhenGivenTheServersForm() throws Exception {
    AgentConfig c =
        parse(
            "serve",
            "--zone",
            "z2",
            "--dopplers",
            "z1 10.0.1.1:3458 http://10.0.1.1:8080/doppler; z2 10.0.2.1:3458"
                + " http://10.0.2.1:8080/doppler; z2 10.0.2.2:3458 http://10.0.2.2:8080/doppler");
    assertEquals(
        List.of(new HostPort("10.0.2.1", 3458), new HostPort("10.0.2.2", 3458)), c.dopplers());
    assertTrue(
        refusal("serve", "--zone", "z9", "--dopplers", "z1 10.0.1.1:3458 http://h/doppler")
            .contains("--dopplers lists no doppler of the agent's zone \"z9\""));
  }

  @Test
  void shouldNameTheFlagWhenAnOptionIsUnknownOrMisused() {
    assertEquals("Unknown option --bogus (see --help).", refusal("serve", "--bogus", "1"));
    assertEquals("Option --app-id applies only to run mode.", refusal("serve", "--app-id", "a"));
    assertEquals("Option --zone needs a value (NAME).", refusal("serve", "--zone"));
    assertEquals(
        "Option --zone is given more than once.", refusal("serve", "--zone=a", "--zone=b"));
    assertTrue(refusal("serve", "stray").contains("\"stray\""));
    assertTrue(refusal("launch").startsWith("Unknown mode \"launch\""));
    assertTrue(refusal().startsWith("Missing mode"));
  }

  @Test
  void shouldNameTheFlagAndTheValueWhenAValueIsInvalid() {
    assertEquals(
        "Option --queue-bytes must be a size from 1048576 to 1073741824 bytes (such as 8MiB or"
            + " 65536), but is \"12\".",
        refusal("serve", "--queue-bytes", "12"));
    assertTrue(refusal("serve", "--rate-limit", "-1").startsWith("Option --rate-limit must be"));
    assertTrue(refusal("serve", "--metrics-port", "70000").startsWith("Option --metrics-port"));
    assertTrue(refusal("serve", "--ingress", "nowhere").startsWith("Option --ingress must be"));
    assertTrue(refusal("serve", "--controller", "x").startsWith("Option --controller must be"));
    assertTrue(refusal("serve", "--dopplers", "a:1,b").startsWith("Option --dopplers must list"));
    assertTrue(refusal("serve", "--dopplers", "a:1,a:1").contains("lists a:1 twice"));
    assertTrue(
        refusal("run", "--app-id", "a", "--multiline", "python", "--", "x")
            .startsWith("Option --multiline must be none or java"));
    assertTrue(
        refusal("serve", "--metrics-interval", "0s").startsWith("Option --metrics-interval must"));
  }

  @Test
  void shouldNameTheKeyAndFileWhenTheSettingsFileHoldsABadValue(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("agent.properties");
    Files.writeString(file, "rate-limit=lots\n");
    assertTrue(
        refusal("serve", "--shared-secret", TestSecrets.SECRET, "--config", file.toString())
            .startsWith("Setting rate-limit in " + file + " must be an integer"));
    Files.writeString(file, "rate_limit=5\n");
    assertEquals(
        "Unknown setting \"rate_limit\" in " + file + ".",
        refusal("serve", "--config", file.toString()));
    assertTrue(
        refusal("serve", "--config", dir.resolve("absent").toString())
            .startsWith("Option --config names a file that does not exist"));
  }

  @Test
  void shouldExplainWhatRunModeNeedsWhenAppIdOrCommandIsMissing() {
    assertEquals(
        "Run mode needs --app-id, the app id of the child's logs.", refusal("run", "--", "x"));
    assertTrue(refusal("run", "--app-id", "a").startsWith("Run mode needs a command after --"));
    assertTrue(refusal("run", "--app-id", "a b", "--", "x").startsWith("Option --app-id must be"));
  }

  @Test
  void shouldRefuseADrainWithoutRepeatingItsCredentialsWhenTheSchemeIsUnknown() {
    String message =
        refusal("run", "--app-id", "a", "--drain", "ftp://user:secret@host/x", "--", "true");
    assertEquals(
        "Option --drain has a URL with the scheme \"ftp\"; a drain is syslog://, syslog-tls://"
            + " or https://.",
        message);
    assertFalse(message.contains("secret"));
  }

  @Test
  void shouldRefuseAMaximumLineThatCannotFitOneDatagramWhenTheEnvelopeIsLarge() {
    String longDrain = "syslog://" + "d".repeat(900) + ".example.org:514";
    String message =
        refusal(
            "run", "--app-id", "a", "--max-line-bytes", "65000", "--drain", longDrain, "--", "x");
    assertTrue(message.startsWith("Option --max-line-bytes must be at most "), message);
  }

  @Test
  void shouldListEveryOptionAndTheExitCodesWhenHelpIsAsked() throws Exception {
    assertTrue(AgentCommandLine.parse(new String[] {"--help"}).help());
    assertTrue(AgentCommandLine.parse(new String[] {"run", "--help"}).help());
    String help = AgentHelp.text();
    for (Option o : Option.values()) {
      assertTrue(help.contains("  " + o.flag()), o.flag());
    }
    assertTrue(help.contains("Exit codes"));
    assertTrue(help.contains("--shared-secret-file: required"), help);
    assertTrue(help.contains("at least 32 bytes"), help);
    assertFalse(help.contains("loggregatorEndPointSharedSecret"), "no default secret any more");
    assertTrue(help.lines().allMatch(l -> l.length() <= 100), "fits a terminal");
  }

  @Test
  void shouldParseByteSizesWithBinaryUnitsWhenGiven() {
    assertEquals(65_536, AgentCommandLine.parseBytes("64KiB"));
    assertEquals(65_536, AgentCommandLine.parseBytes("64k"));
    assertEquals(8 << 20, AgentCommandLine.parseBytes("8MiB"));
    assertEquals(1 << 30, AgentCommandLine.parseBytes("1G"));
    assertEquals(1_000, AgentCommandLine.parseBytes("1_000"));
    assertEquals(-1, AgentCommandLine.parseBytes("lots"));
  }
}
