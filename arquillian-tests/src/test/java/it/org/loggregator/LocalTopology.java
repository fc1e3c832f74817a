package it.org.loggregator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real Liberty servers for black-box tests: dopplers in several zones and controllers, each its own
 * server in the shared install, created from the doppler and controller servers of server-config,
 * configured through its server.env, started with {@code server start} and stopped with {@code
 * server stop} by name.
 */
final class LocalTopology implements AutoCloseable {
  static final Path WLP = TestServer.SERVER_DIR.getParent().getParent().getParent();

  record Server(String name, String zone, int httpPort, int udpPort) {
    String baseUrl() {
      return "http://127.0.0.1:" + httpPort;
    }
  }

  private final List<Server> dopplers = new ArrayList<>();
  private final List<Server> controllers = new ArrayList<>();
  private final List<Server> allInOnes = new ArrayList<>();
  private final List<Server> running = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * Lays out (but does not start) {@code zones} × {@code dopplersPerZone} dopplers and {@code
   * controllers} controllers named {@code prefix-…}, with ports counted up from {@code basePort}.
   */
  LocalTopology(String prefix, int zones, int dopplersPerZone, int controllerCount, int basePort)
      throws IOException {
    int port = basePort;
    for (int z = 1; z <= zones; z++) {
      for (int d = 1; d <= dopplersPerZone; d++) {
        Server s = new Server(prefix + "-doppler-z" + z + "-" + d, "z" + z, port, port + 2);
        port += 10;
        dopplers.add(s);
        create(
            "doppler",
            s,
            Map.of("LOGGREGATOR_ZONE", s.zone(), "DOPPLER_UDPPORT", "" + s.udpPort()));
      }
    }
    StringBuilder dopplerList = new StringBuilder();
    for (Server d : dopplers) {
      dopplerList
          .append(dopplerList.length() == 0 ? "" : "; ")
          .append(d.zone())
          .append(" 127.0.0.1:")
          .append(d.udpPort())
          .append(" ")
          .append(d.baseUrl())
          .append("/doppler");
    }
    for (int c = 1; c <= controllerCount; c++) {
      Server s = new Server(prefix + "-controller-" + c, "z1", port, port + 2);
      port += 10;
      controllers.add(s);
      create(
          "controller",
          s,
          Map.of(
              "LOGGREGATOR_ZONE", s.zone(),
              "CONTROLLER_INBOUNDPORT", "" + s.udpPort(),
              "CONTROLLER_DOPPLERS", dopplerList.toString()));
    }
  }

  private static void create(String template, Server server, Map<String, String> env)
      throws IOException {
    Path to = layOut(template, server.name());
    Map<String, String> all = new LinkedHashMap<>();
    all.put("keystore_password", "topology-" + server.name());
    all.put("HTTP_PORT", "" + server.httpPort());
    all.put("HTTPS_PORT", "" + (server.httpPort() + 1));
    all.put("LOGGREGATOR_SHAREDSECRET", DopplerClient.SECRET);
    // The tests mint tokens with the key pair a controller generates at its first start.
    all.put("CONTROLLER_GENERATEDEVKEYS", "true");
    all.putAll(env);
    StringBuilder text = new StringBuilder();
    all.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Files.writeString(to.resolve("server.env"), text);
  }

  /**
   * Lays out server {@code name} as a copy of server {@code template} of the install: its
   * server.xml, jvm.options and applications, nothing it wrote (so that two running servers never
   * share a directory they expand applications into). Replaces an older one of that name.
   *
   * @return the new server's directory
   */
  static Path layOut(String template, String name) throws IOException {
    Path from = WLP.resolve("usr/servers/" + template);
    Path to = WLP.resolve("usr/servers/" + name);
    removeServer(name);
    Files.createDirectories(to.resolve("apps"));
    Files.copy(from.resolve("server.xml"), to.resolve("server.xml"));
    if (Files.exists(from.resolve("jvm.options"))) {
      Files.copy(from.resolve("jvm.options"), to.resolve("jvm.options"));
    }
    try (Stream<Path> apps = Files.list(from.resolve("apps"))) {
      for (Path app : apps.filter(Files::isRegularFile).toList()) {
        Files.copy(
            app,
            to.resolve("apps").resolve(app.getFileName()),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return to;
  }

  /** Deletes server {@code name} of the install, if there is one; it must not be running. */
  static void removeServer(String name) throws IOException {
    Path dir = WLP.resolve("usr/servers/" + name);
    if (Files.exists(dir)) {
      deleteTree(dir);
    }
  }

  /**
   * Lays out (but does not start) an all-in-one server (the controller at /, the doppler at
   * /doppler) with its HTTP port, its doppler's UDP port and more server.env settings.
   */
  Server addAllInOne(String name, int httpPort, int udpPort, Map<String, String> env)
      throws IOException {
    Server s = new Server(name, "z1", httpPort, udpPort);
    Map<String, String> all = new LinkedHashMap<>();
    all.put("DOPPLER_UDPPORT", "" + udpPort);
    all.putAll(env);
    create("all-in-one", s, all);
    allInOnes.add(s);
    return s;
  }

  List<Server> dopplers() {
    return dopplers;
  }

  List<Server> controllers() {
    return controllers;
  }

  /** Starts every server (in parallel) and waits until each answers ready. */
  void startAll() throws Exception {
    List<Server> all = new ArrayList<>(dopplers);
    all.addAll(controllers);
    all.addAll(allInOnes);
    List<Process> starts = new ArrayList<>();
    for (Server s : all) {
      starts.add(command("start", s.name()).start());
      running.add(s);
    }
    for (Process p : starts) {
      p.waitFor(180, TimeUnit.SECONDS);
    }
    for (Server s : all) {
      awaitReady(s);
    }
  }

  private void awaitReady(Server s) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(s.baseUrl() + "/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(s.name() + " did not become ready; see its messages.log");
  }

  /** Stops one server, as an operator or a failure would. */
  void stop(Server s) throws Exception {
    command("stop", s.name()).start().waitFor(120, TimeUnit.SECONDS);
    running.remove(s);
  }

  Path serverDir(Server s) {
    return WLP.resolve("usr/servers/" + s.name());
  }

  private static ProcessBuilder command(String action, String name) {
    return new ProcessBuilder(WLP.resolve("bin/server").toString(), action, name)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
  }

  @Override
  public void close() throws IOException {
    List<Process> stops = new ArrayList<>();
    for (Server s : running) {
      stops.add(command("stop", s.name()).start());
    }
    try {
      for (Process p : stops) {
        p.waitFor(120, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    running.clear();
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
