package it.org.loggregator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.loggregator.auth.PemKeys;
import org.loggregator.cli.token.TokenClaims;
import org.loggregator.cli.token.TokenMinter;

/**
 * Loggregator on a {@link NetnsBed}, each part on a "host" of its own: dopplers d1 (zone z1), d2
 * (z2) and d3 (z1, started only when asked), controller c1 (z1), the agents' host a1 and the
 * client's host t1. One Liberty install serves every server, each with its own {@code
 * WLP_OUTPUT_DIR} and its settings as environment variables. The controller and the agents resolve
 * the doppler names {@code dopplers-z1} and {@code dopplers-z2} through a hosts file the test
 * rewrites ({@link #writeHosts}).
 */
final class MultiHostBed implements AutoCloseable {
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  static final int DOPPLER_HTTP = 8090;
  static final int DOPPLER_UDP = 3458;
  static final int CONTROLLER_HTTP = 8080;
  static final int CONTROLLER_UDP = 3456;
  static final List<String> HOSTS = List.of("d1", "d2", "d3", "c1", "a1", "t1");

  final NetnsBed bed;
  final Path work;
  final Path hostsFile;

  /** Whether the servers and agents re-resolve doppler names (the membership by name). */
  private final Map<String, Process> servers = new HashMap<>();

  private final List<String> laidOut = new ArrayList<>();

  private String token;

  private MultiHostBed(NetnsBed bed, Path work) {
    this.bed = bed;
    this.work = work;
    this.hostsFile = work.resolve("hosts");
  }

  /** Makes the namespaces (the servers are started by {@link #startServers}). */
  static MultiHostBed up(String prefix, String subnet) throws IOException {
    Path work = Path.of("target", "netns-bed", prefix).toAbsolutePath();
    Files.createDirectories(work);
    NetnsBed bed = NetnsBed.up(prefix, subnet, HOSTS);
    MultiHostBed hosts = new MultiHostBed(bed, work);
    hosts.writeHosts(List.of("d1"), List.of("d2"));
    return hosts;
  }

  /** Rewrites the hosts file: the dopplers (by bed name) that {@code dopplers-zN} resolves to. */
  void writeHosts(List<String> z1, List<String> z2) throws IOException {
    StringBuilder text = new StringBuilder();
    z1.forEach(d -> text.append(bed.address(d)).append(" dopplers-z1\n"));
    z2.forEach(d -> text.append(bed.address(d)).append(" dopplers-z2\n"));
    Path next = work.resolve("hosts.next");
    Files.writeString(next, text);
    Files.move(next, hostsFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Each zone's doppler entry, by the name the hosts file resolves. */
  String dopplerList() {
    return entry("z1", "dopplers-z1") + "; " + entry("z2", "dopplers-z2");
  }

  private static String entry(String zone, String host) {
    return zone
        + " "
        + host
        + ":"
        + DOPPLER_UDP
        + " http://"
        + host
        + ":"
        + DOPPLER_HTTP
        + "/doppler";
  }

  /** The JVM options that point name resolution at the hosts file. */
  String resolverOptions() {
    return "-Djdk.net.hosts.file=" + hostsFile + " -Dsun.net.inetaddr.ttl=1";
  }

  /** Starts dopplers d1, d2 and controller c1 in parallel and waits until each is ready. */
  void startServers() throws Exception {
    startDoppler("d1", "z1");
    startDoppler("d2", "z2");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CONTROLLER_INBOUNDBINDADDRESS", "0.0.0.0");
    env.put("CONTROLLER_DOPPLERS", dopplerList());
    env.put("CONTROLLER_GENERATEDEVKEYS", "true");
    env.put("CONTROLLER_TOKENPUBLICKEY", work.resolve("keys/token-public.pem").toString());
    env.put("CONTROLLER_DOPPLERREFRESH", "1s");
    startLiberty("c1", "controller", "z1", env, resolverOptions());
    for (String name : List.of("d1", "d2", "c1")) {
      awaitReady(name, name.startsWith("d") ? DOPPLER_HTTP : CONTROLLER_HTTP);
    }
    token = null;
  }

  /** Starts one doppler of a zone (not waiting for it). */
  void startDoppler(String name, String zone) throws IOException {
    startLiberty(name, "doppler", zone, Map.of("DOPPLER_UDPBINDADDRESS", "0.0.0.0"), "");
  }

  private void startLiberty(
      String name, String server, String zone, Map<String, String> settings, String jvmOptions)
      throws IOException {
    Path output = work.resolve(name);
    Files.createDirectories(output);
    // A server of its own per process: two processes of one server definition would expand
    // their applications into the same directory at once.
    String own = work.getFileName() + "-" + name;
    LocalTopology.layOut(server, own);
    laidOut.add(own);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("WLP_OUTPUT_DIR", output.toString());
    env.put("JVM_ARGS", "-Xmx256m " + jvmOptions);
    env.put("HTTP_HOST", "*");
    env.put("LOGGREGATOR_ZONE", zone);
    env.put("LOGGREGATOR_SHAREDSECRET", DopplerClient.SECRET);
    env.putAll(settings);
    String script = LocalTopology.WLP.resolve("bin/server").toString();
    servers.put(
        name,
        bed.start(name, env, work.resolve(name + ".console.log"), List.of(script, "run", own)));
  }

  /** Waits (at most 150 s) until the server in namespace {@code name} answers ready. */
  void awaitReady(String name, int httpPort) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
    String url = "http://127.0.0.1:" + httpPort + "/health/ready";
    while (System.nanoTime() < deadline) {
      if (!servers.get(name).isAlive()) {
        throw new IllegalStateException(name + " ended; see " + work.resolve(name));
      }
      if (bed.exec(name, "curl", "-sf", "-o", "/dev/null", "--max-time", "2", url).code() == 0) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(name + " did not become ready; see " + work.resolve(name));
  }

  /** A token for the apps, signed with the key pair the controller generated. */
  String token(String... apps) throws Exception {
    return new TokenMinter(PemKeys.readPrivate(work.resolve("keys/token-private.pem")))
        .mint(TokenClaims.forApps(apps));
  }

  /** {@code logs APP} on host t1 through the controller; its printed lines. */
  Tail tail(String app) throws Exception {
    Map<String, String> env =
        Map.of(
            "LOGS_ENDPOINT",
            "http://" + bed.address("c1") + ":" + CONTROLLER_HTTP,
            "LOGS_TOKEN",
            token(app),
            "TZ",
            "UTC");
    Process p =
        bed.start(
            "t1",
            env,
            null,
            List.of(JAVA, "-Xmx128m", "-jar", System.getProperty("it.logs.jar"), app));
    return new Tail(p, MultiZoneIT.linesOf(p));
  }

  record Tail(Process process, BlockingQueue<String> lines) {}

  /**
   * The agent on host a1 running {@code sh -c script} for the app: through the controller, or
   * straight to the dopplers of {@code zone} when not null.
   */
  Process agent(String app, String zone, String script) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                JAVA,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-Djdk.net.hosts.file=" + hostsFile,
                "-Dsun.net.inetaddr.ttl=1",
                "-jar",
                System.getProperty("it.agent.jar"),
                "run",
                "--shared-secret",
                DopplerClient.SECRET,
                "--app-id",
                app,
                "--quiet"));
    if (zone == null) {
      command.addAll(List.of("--controller", bed.address("c1") + ":" + CONTROLLER_UDP));
    } else {
      command.addAll(List.of("--zone", zone, "--dopplers", dopplerList()));
      command.addAll(List.of("--doppler-refresh", "1s"));
    }
    command.addAll(List.of("--", "sh", "-c", script));
    return bed.start("a1", Map.of(), work.resolve("agent-" + app + ".log"), command);
  }

  /** A counter of a server's /metrics, read from the client host (0 when absent). */
  double metric(String server, int httpPort, String name, String... labels) throws IOException {
    String url = "http://" + bed.address(server) + ":" + httpPort + "/metrics";
    double sum = 0;
    for (String line : bed.exec("t1", "curl", "-s", "--max-time", "5", url).out().split("\n")) {
      if (line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  @Override
  public void close() {
    bed.close();
    for (String server : laidOut) {
      try {
        LocalTopology.removeServer(server);
      } catch (IOException e) {
        System.err.println("[bed] could not remove server " + server + ": " + e);
      }
    }
  }
}
