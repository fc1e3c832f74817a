package org.loggregator.protocol;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.loggregator.protocol.events.Envelope;

/**
 * The golden envelopes of protocol/src/test/resources/vectors (vectors/README.md; docs/PROTOCOL.md,
 * Golden vectors). In the protocol test-jar, so that every module's codec tests read the same files
 * the same way.
 */
public final class GoldenVectors {

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

  private GoldenVectors() {}

  /**
   * The module's copy, src/test/resources/vectors: found on the test class path, or beside another
   * module when this class is read from the test-jar.
   */
  static Path copyDir() {
    try {
      URI readme = GoldenVectors.class.getResource("/vectors/README.md").toURI();
      if ("file".equals(readme.getScheme())) {
        return Path.of(readme).getParent();
      }
      return Path.of("..", "protocol", "src", "test", "resources", "vectors");
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The folder named by the system property {@code loggregator.vectors}, which the build points at
   * this module's copy, or else that copy.
   */
  public static Path dir() {
    String property = System.getProperty("loggregator.vectors");
    if (property != null && Files.isDirectory(Path.of(property))) {
      return Path.of(property);
    }
    return copyDir();
  }

  public static byte[] envelopeBytes(String name) {
    return read(name + ".envelope.bin");
  }

  public static byte[] signedBytes(String name) {
    return read(name + ".signed.bin");
  }

  /** The envelope as its .txt describes it. */
  static Envelope textEnvelope(String name) {
    String text = new String(read(name + ".txt"), StandardCharsets.UTF_8);
    Envelope.Builder builder = Envelope.newBuilder();
    try {
      TextFormat.getParser().merge(text, builder);
    } catch (TextFormat.ParseException e) {
      throw new IllegalStateException(name + ".txt does not parse", e);
    }
    return builder.build();
  }

  static Envelope decoded(String name) {
    try {
      return Envelope.parseFrom(envelopeBytes(name));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(name + ".envelope.bin does not parse", e);
    }
  }

  /** The Envelope field carrying the payload that {@code eventType} names. */
  static FieldDescriptor payloadField(Envelope.EventType type) {
    return Envelope.getDescriptor().findFieldByNumber(type.getNumber() + 3);
  }

  private static byte[] read(String file) {
    try {
      return Files.readAllBytes(dir().resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
