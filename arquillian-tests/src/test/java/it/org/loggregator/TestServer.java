package it.org.loggregator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The managed Liberty test server as the tests see it: its address, its log, the WARs. */
final class TestServer {
  static final int HTTP_PORT = Integer.getInteger("it.http.port", 18080);
  static final Path SERVER_DIR = Path.of(System.getProperty("it.server.dir", "target"));
  static final Path DEPLOYMENTS = Path.of(System.getProperty("it.deployments", "target"));

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer() {}

  /** A WAR built by this project, as it is shipped, under the given archive name. */
  static WebArchive war(String file, String archiveName) {
    return ShrinkWrap.create(ZipImporter.class, archiveName)
        .importFrom(DEPLOYMENTS.resolve(file).toFile())
        .as(WebArchive.class);
  }

  static HttpResponse<String> get(String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + path))
            .timeout(Duration.ofSeconds(20))
            .GET()
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Puts an archive into the server's dropins folder and tells the server through its file
   * notification MBean, without waiting for the application to start: for deployments that are
   * expected to fail, where Arquillian's deployer would wait for its whole deploy timeout.
   */
  static Path dropIn(WebArchive archive) {
    Path file = SERVER_DIR.resolve("dropins").resolve(archive.getName());
    archive.as(ZipExporter.class).exportTo(file.toFile(), true);
    notifyFileChanges(List.of(file.toString()), List.of());
    return file;
  }

  /** Removes what {@link #dropIn} put there. */
  static void removeDropIn(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    notifyFileChanges(List.of(), List.of(file.toString()));
  }

  private static void notifyFileChanges(List<String> created, List<String> deleted) {
    try {
      String address =
          Files.readString(SERVER_DIR.resolve("logs/state/com.ibm.ws.jmx.local.address")).trim();
      try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
        connector
            .getMBeanServerConnection()
            .invoke(
                new ObjectName(
                    "WebSphere:service=com.ibm.ws.kernel.filemonitor.FileNotificationMBean"),
                "notifyFileChanges",
                new Object[] {created, List.of(), deleted},
                new String[] {
                  Collection.class.getName(), Collection.class.getName(), Collection.class.getName()
                });
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JMException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits, at most a minute, until messages.log contains the text; true if it does. */
  static boolean awaitInMessagesLog(String text) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (messagesLog().contains(text)) {
        return true;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return messagesLog().contains(text);
  }

  /**
   * The value of an application metric in Prometheus text whose labels include all of {@code
   * labels} (each {@code key="value"}); 0 when it is not there yet.
   */
  static double metric(String name, String... labels) {
    for (String line : get("/metrics?scope=application").body().split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      String labelPart = line.substring(0, line.lastIndexOf('}') + 1);
      boolean all = true;
      for (String label : labels) {
        all &= labelPart.contains(label);
      }
      if (all) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  /** The server's messages.log as it is now. */
  static String messagesLog() {
    try {
      return Files.readString(SERVER_DIR.resolve("logs/messages.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
