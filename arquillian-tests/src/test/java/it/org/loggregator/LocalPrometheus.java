package it.org.loggregator;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus server for black-box tests: Debian's {@code prometheus} in the foreground on a
 * free loopback port, with the configuration and rules a test gives it and its storage in a
 * directory of its own under {@code target/}, asked through its HTTP API. Stopped by its own pid.
 */
final class LocalPrometheus implements AutoCloseable {
  private static final Path BINARY = Promtool.find("prometheus");

  private final Path dir;
  private final int port;
  private final Process process;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private LocalPrometheus(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts Prometheus in {@code target/NAME} (emptied first) with {@code config} as its
   * prometheus.yml and {@code rules} as rules.yml beside it, and waits until it is ready.
   */
  static LocalPrometheus start(String name, String config, String rules) {
    if (BINARY == null) {
      throw new IllegalStateException(
          "Cannot run prometheus (install Debian's prometheus package: bin/install-test-deps).");
    }
    try {
      Path dir = Path.of("target", name).toAbsolutePath();
      if (Files.exists(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(f);
          }
        }
      }
      Files.createDirectories(dir);
      Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
      Files.writeString(dir.resolve("rules.yml"), rules);
      int port = freePort();
      Process process =
          new ProcessBuilder(
                  BINARY.toString(),
                  "--config.file=" + configFile,
                  "--storage.tsdb.path=" + dir.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + port)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.out").toFile())
              .start();
      LocalPrometheus prometheus = new LocalPrometheus(dir, port, process);
      prometheus.awaitReady();
      return prometheus;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited: " + output());
      }
      try {
        HttpResponse<Void> ready =
            http.send(
                HttpRequest.newBuilder(uri("/-/ready")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(200);
    }
    throw new IllegalStateException("prometheus was not ready within 60 s: " + output());
  }

  /** The {@code data} of an HTTP API answer, such as {@code /api/v1/alerts}. */
  JsonObject api(String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "GET " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
        return reader.readObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The result of an instant query: {@code data.result} of {@code /api/v1/query}. */
  JsonArray query(String promql) {
    return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
        .getJsonObject("data")
        .getJsonArray("result");
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** What Prometheus printed: its start-up errors, rule-file errors, scrape warnings. */
  String output() {
    try {
      return Files.readString(dir.resolve("prometheus.out"));
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /** Stops Prometheus by its pid (SIGTERM, then SIGKILL after 10 s) and waits until it is gone. */
  @Override
  public void close() {
    ProcessHandle handle = process.toHandle();
    handle.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        handle.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
