package org.loggregator.protocol;

import com.google.protobuf.ByteString;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

/**
 * The envelopes the system itself writes into an app's stream (docs/PROTOCOL.md, LGR notices):
 * LogMessages of type ERR with source type {@code LGR}, telling the user what was lost and where.
 * Rare by nature, so they are built with the protobuf classes.
 */
public final class LgrNotice {
  /** The source type of every notice. */
  public static final String SOURCE_TYPE = "LGR";

  private LgrNotice() {}

  /**
   * Encodes a notice.
   *
   * @param origin the component writing it, such as {@code doppler}
   * @param appId the app whose stream it goes into, or null for a firehose subscriber
   * @param text the sentence, such as {@link #droppedMessages}
   * @param nowNanos UNIX time in nanoseconds
   */
  public static byte[] envelope(String origin, String appId, String text, long nowNanos) {
    LogMessage.Builder log =
        LogMessage.newBuilder()
            .setMessage(ByteString.copyFromUtf8(text))
            .setMessageType(LogMessage.MessageType.ERR)
            .setTimestamp(nowNanos)
            .setSourceType(SOURCE_TYPE);
    if (appId != null && !appId.isEmpty()) {
      log.setAppId(appId);
    }
    return Envelope.newBuilder()
        .setOrigin(origin)
        .setEventType(Envelope.EventType.LogMessage)
        .setTimestamp(nowNanos)
        .setLogMessage(log)
        .build()
        .toByteArray();
  }

  /** The sentence for a subscriber, client or drain that fell behind. */
  public static String droppedMessages(long dropped, String sink) {
    return "Log message output too high. We've dropped " + dropped + " messages to " + sink + ".";
  }

  /**
   * The sentence for log lines lost between agents and a doppler, such as {@code 37 log lines from
   * host h1 were lost in transit to doppler d2 in the last 5 s}; with several hosts, {@code 37 log
   * lines from host h1 and 2 from host h3 were lost …}.
   *
   * @param lostByHost lines lost per agent host name, in the order to name them; not empty
   */
  public static String lostInTransit(
      java.util.Map<String, Long> lostByHost, String doppler, long seconds) {
    StringBuilder s = new StringBuilder();
    int i = 0;
    for (java.util.Map.Entry<String, Long> e : lostByHost.entrySet()) {
      long n = e.getValue();
      if (i == 0) {
        s.append(n).append(n == 1 ? " log line" : " log lines");
      } else {
        s.append(i == lostByHost.size() - 1 ? " and " : ", ").append(n);
      }
      s.append(" from host ").append(e.getKey());
      i++;
    }
    long total = lostByHost.values().stream().mapToLong(Long::longValue).sum();
    return s.append(total == 1 ? " was" : " were")
        .append(" lost in transit to doppler ")
        .append(doppler)
        .append(" in the last ")
        .append(seconds)
        .append(" s")
        .toString();
  }

  /** UNIX time in nanoseconds, from the wall clock. */
  public static long nowNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
