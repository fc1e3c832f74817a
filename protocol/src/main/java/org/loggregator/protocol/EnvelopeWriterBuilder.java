package org.loggregator.protocol;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Collects the envelope fields an envelope writer fixes when it is built (origin, deployment, job,
 * index, ip, tags); null leaves a field absent. Not thread-safe: one builder per writer.
 *
 * @param <B> the writer's own builder, which each setter returns
 */
public abstract class EnvelopeWriterBuilder<B extends EnvelopeWriterBuilder<B>> {
  private final String origin;
  private String deployment;
  private String job;
  private String index;
  private String ip;
  private final Map<String, String> tags = new LinkedHashMap<>();

  EnvelopeWriterBuilder(String origin) {
    this.origin = Objects.requireNonNull(origin, "origin");
  }

  abstract B self();

  /** Envelope {@code deployment}. */
  public B deployment(String value) {
    deployment = value;
    return self();
  }

  /** Envelope {@code job}. */
  public B job(String value) {
    job = value;
    return self();
  }

  /** Envelope {@code index}. */
  public B index(String value) {
    index = value;
    return self();
  }

  /** Envelope {@code ip}. */
  public B ip(String value) {
    ip = value;
    return self();
  }

  /**
   * One envelope tag, such as {@code direction=ingress}; tags are written in the order added, a
   * repeated key keeping its place.
   */
  public B tag(String key, String value) {
    tags.put(Objects.requireNonNull(key, "tag key"), Objects.requireNonNull(value, "tag value"));
    return self();
  }

  /** These fields, encoded once around envelopes of {@code eventType} and payload field. */
  EnvelopeFrame frame(int eventType, int payloadField) {
    return new EnvelopeFrame(head(eventType), payloadField, tail());
  }

  /** origin (1) and eventType (2). */
  private byte[] head(int eventType) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ProtobufWire.stringField(out, 1, origin);
    out.write(ProtobufWire.tag(2, ProtobufWire.VARINT));
    out.write(eventType); // 4 to 9: one varint byte
    return out.toByteArray();
  }

  /** deployment (13), job (14), index (15), ip (16), then one entry of tags (17) per tag. */
  private byte[] tail() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ProtobufWire.stringField(out, 13, deployment);
    ProtobufWire.stringField(out, 14, job);
    ProtobufWire.stringField(out, 15, index);
    ProtobufWire.stringField(out, 16, ip);
    for (Map.Entry<String, String> e : tags.entrySet()) {
      ProtobufWire.bytesField(out, 17, ProtobufWire.mapEntry(e.getKey(), e.getValue()));
    }
    return out.toByteArray();
  }
}
