package org.loggregator.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The shared golden envelopes: system property loggregator.vectors, else ../../shared/vectors. */
public final class Vectors {

  public static final List<String> CASES =
      List.of(
          "log_out",
          "log_err_tags",
          "value_metric",
          "counter_event",
          "container_metric",
          "error",
          "http_start_stop");

  public static final String SECRET = "loggregatorEndPointSharedSecret";

  private Vectors() {}

  public static Path dir() {
    String property = System.getProperty("loggregator.vectors");
    if (property != null && Files.isDirectory(Path.of(property))) {
      return Path.of(property);
    }
    return Path.of("..", "..", "shared", "vectors");
  }

  public static byte[] envelope(String name) {
    return read(name + ".envelope.bin");
  }

  public static byte[] signed(String name) {
    return read(name + ".signed.bin");
  }

  private static byte[] read(String file) {
    try {
      return Files.readAllBytes(dir().resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
