package org.loggregator.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The golden envelopes (docs/PROTOCOL.md, Golden vectors): the folder the system property {@code
 * loggregator.vectors} names, which the build points at the protocol module's copy.
 */
public final class Vectors {
  private Vectors() {}

  public static Path dir() {
    String property = System.getProperty("loggregator.vectors");
    for (Path candidate :
        List.of(
            Path.of(property == null ? "/nonexistent" : property),
            Path.of("..", "protocol", "src", "test", "resources", "vectors"))) {
      if (Files.isRegularFile(candidate.resolve("log_out.envelope.bin"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("No golden vectors found; set -Dloggregator.vectors.");
  }

  /** The bytes of {@code NAME.envelope.bin}. */
  public static byte[] envelope(String name) {
    try {
      return Files.readAllBytes(dir().resolve(name + ".envelope.bin"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
