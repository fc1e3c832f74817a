package org.loggregator.bench.doppler;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.LogEnvelopeWriter;

/**
 * The signed LogMessage datagrams the doppler path benchmarks receive, built once: {@value
 * #DATAGRAMS} of them, 211 bytes each (a {@value #ENVELOPE_LENGTH}-byte envelope after its 32-byte
 * HMAC-SHA256), over {@value #APPS} app ids taken in turn.
 */
final class LogDatagrams {
  static final int APPS = 100;
  static final int DATAGRAMS = 1024; // a power of two, so the cursor wraps with a mask
  static final int ENVELOPE_LENGTH = 179;

  private LogDatagrams() {}

  static String appId(int app) {
    return new UUID(0x6c6f6767_72656761L, 0x746f7200_00000000L + app).toString();
  }

  /**
   * {@value #DATAGRAMS} signed LogMessage datagrams of 211 bytes, app after app; the message text
   * is padded so that every envelope is exactly {@value #ENVELOPE_LENGTH} bytes.
   */
  static byte[][] signed(DatagramSignature signature) {
    LogEnvelopeWriter[] writers = new LogEnvelopeWriter[APPS];
    for (int app = 0; app < APPS; app++) {
      writers[app] =
          LogEnvelopeWriter.builder("rep")
              .appId(appId(app))
              .sourceType("APP/PROC/WEB")
              .sourceInstance("0")
              .deployment("cf")
              .job("diego-cell")
              .index("0")
              .ip("10.0.16.4")
              .build();
    }
    long baseNanos = 1_750_000_000_000_000_000L;
    byte[][] result = new byte[DATAGRAMS][];
    byte[] envelope = new byte[ENVELOPE_LENGTH];
    for (int i = 0; i < DATAGRAMS; i++) {
      LogEnvelopeWriter writer = writers[i % APPS];
      long timestamp = baseNanos + i * 1_000L;
      int messageLength = 0;
      while (writer.encodedLength(timestamp, messageLength) < ENVELOPE_LENGTH) {
        messageLength++;
      }
      if (writer.encodedLength(timestamp, messageLength) != ENVELOPE_LENGTH) {
        throw new IllegalStateException("No message length gives a 179-byte envelope.");
      }
      byte[] message = messageOf(i, messageLength);
      int length =
          writer.write(envelope, 0, LogEnvelopeWriter.OUT, timestamp, message, 0, message.length);
      result[i] = signature.sign(envelope, 0, length);
    }
    return result;
  }

  private static byte[] messageOf(int i, int length) {
    StringBuilder line =
        new StringBuilder("GET /api/v1/orders/").append(i).append(" 200 12ms user-agent=curl ");
    while (line.length() < length) {
      line.append('.');
    }
    line.setLength(length);
    return line.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
