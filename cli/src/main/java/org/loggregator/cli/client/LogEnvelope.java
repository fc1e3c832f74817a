package org.loggregator.cli.client;

import org.loggregator.protocol.events.LogMessage;

/**
 * One LogMessage envelope as it came (its bytes, which identify it at the seam of recent and live
 * logs) and decoded. Immutable by convention: nobody writes into the array.
 */
public record LogEnvelope(byte[] bytes, LogMessage log) {
  /** The envelope of these bytes when they hold a LogMessage, else null. */
  public static LogEnvelope of(byte[] bytes) {
    LogMessage log = LogMessageDecoder.decode(bytes);
    return log == null ? null : new LogEnvelope(bytes, log);
  }
}
