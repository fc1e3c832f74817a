package org.loggregator.cli.client;

import com.google.protobuf.InvalidProtocolBufferException;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

/** Picks the LogMessage out of an envelope's bytes; stateless. */
public final class LogMessageDecoder {
  private LogMessageDecoder() {}

  /**
   * The LogMessage of one envelope, or null for another event type or bytes that are not an
   * envelope (the command prints only log messages and skips the rest silently).
   */
  public static LogMessage decode(byte[] envelopeBytes) {
    try {
      Envelope envelope = Envelope.parseFrom(envelopeBytes);
      if (envelope.getEventType() == Envelope.EventType.LogMessage && envelope.hasLogMessage()) {
        return envelope.getLogMessage();
      }
    } catch (InvalidProtocolBufferException e) {
      // not an envelope: skipped like any other event type
    }
    return null;
  }
}
