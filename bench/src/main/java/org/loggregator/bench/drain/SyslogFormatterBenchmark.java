package org.loggregator.bench.drain;

import com.google.protobuf.ByteString;
import java.util.concurrent.TimeUnit;
import org.loggregator.bench.StandardRun;
import org.loggregator.doppler.drain.BatchBuffer;
import org.loggregator.doppler.drain.SyslogFormatter;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * A drain writer's CPU work per line: reading a LogMessage envelope's fields and appending its RFC
 * 5424 octet-counted frame to the reused batch buffer (one operation = one line; the buffer is
 * cleared every 512 lines, as a batch is).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SyslogFormatterBenchmark extends StandardRun {
  private final SyslogFormatter formatter = new SyslogFormatter("loggregator");
  private final BatchBuffer batch = new BatchBuffer(512 * 256);
  private byte[] envelope;

  @Setup
  public void buildEnvelope() {
    envelope =
        Envelope.newBuilder()
            .setOrigin("bench")
            .setEventType(Envelope.EventType.LogMessage)
            .setTimestamp(1_380_838_166_000_000_000L)
            .putTags("drain_urls", "syslog://logs.example.com:514")
            .setLogMessage(
                LogMessage.newBuilder()
                    .setMessage(
                        ByteString.copyFromUtf8(
                            "This message is on stdout at 2013-10-03 22:09:26 +0000 for"
                                + " private-app instance 0"))
                    .setMessageType(LogMessage.MessageType.OUT)
                    .setTimestamp(1_380_838_166_123_456_789L)
                    .setAppId("6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab")
                    .setSourceType("App")
                    .setSourceInstance("0"))
            .build()
            .toByteArray();
  }

  @Benchmark
  public int formatOneLine() {
    if (batch.frames() == 512) {
      batch.clear();
    }
    formatter.append(envelope, 0, envelope.length, batch);
    return batch.length();
  }
}
