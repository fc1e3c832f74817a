package org.loggregator.protocol;

import com.google.protobuf.ByteString;
import org.loggregator.protocol.events.ContainerMetric;
import org.loggregator.protocol.events.CounterEvent;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;
import org.loggregator.protocol.events.ValueMetric;

/**
 * The envelopes tests send, built with the generated protobuf classes as an emitter would build
 * them. Each method returns a builder holding the usual values, for a test to change what it is
 * about before {@link #bytes(Envelope.Builder)}.
 */
public final class TestEnvelopes {
  /** 2013-10-03T22:09:26Z in nanoseconds, the golden vectors' time. */
  public static final long TIMESTAMP = 1_380_838_166_000_000_000L;

  /** The origin of the envelopes built here. */
  public static final String ORIGIN = "test";

  private TestEnvelopes() {}

  /** A line an app wrote on stdout, from its instance APP/0; without an app id when null. */
  public static LogMessage.Builder logMessage(String appId, String text, long timestamp) {
    LogMessage.Builder log =
        LogMessage.newBuilder()
            .setMessage(ByteString.copyFromUtf8(text))
            .setMessageType(LogMessage.MessageType.OUT)
            .setTimestamp(timestamp)
            .setSourceType("APP")
            .setSourceInstance("0");
    if (appId != null) {
      log.setAppId(appId);
    }
    return log;
  }

  /** The envelope of a {@link #logMessage}, with the line's timestamp. */
  public static Envelope.Builder log(String appId, String text, long timestamp) {
    return of(Envelope.EventType.LogMessage)
        .setTimestamp(timestamp)
        .setLogMessage(logMessage(appId, text, timestamp));
  }

  /** The envelope of a {@link #logMessage} at {@link #TIMESTAMP}. */
  public static Envelope.Builder log(String appId, String text) {
    return log(appId, text, TIMESTAMP);
  }

  /** One app instance's container metric, without a timestamp. */
  public static Envelope.Builder containerMetric(
      String appId, int instance, double cpuPercentage, long memoryBytes, long diskBytes) {
    return of(Envelope.EventType.ContainerMetric)
        .setContainerMetric(
            ContainerMetric.newBuilder()
                .setApplicationId(appId)
                .setInstanceIndex(instance)
                .setCpuPercentage(cpuPercentage)
                .setMemoryBytes(memoryBytes)
                .setDiskBytes(diskBytes));
  }

  /** A counter's increment, without a total or a timestamp. */
  public static Envelope.Builder counter(String name, long delta) {
    return of(Envelope.EventType.CounterEvent)
        .setCounterEvent(CounterEvent.newBuilder().setName(name).setDelta(delta));
  }

  /** A value metric, without a timestamp. */
  public static Envelope.Builder valueMetric(String name, double value, String unit) {
    return of(Envelope.EventType.ValueMetric)
        .setValueMetric(ValueMetric.newBuilder().setName(name).setValue(value).setUnit(unit));
  }

  /** The wire bytes of an envelope. */
  public static byte[] bytes(Envelope.Builder envelope) {
    return envelope.build().toByteArray();
  }

  private static Envelope.Builder of(Envelope.EventType type) {
    return Envelope.newBuilder().setOrigin(ORIGIN).setEventType(type);
  }
}
