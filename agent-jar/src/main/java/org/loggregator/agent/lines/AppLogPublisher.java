package org.loggregator.agent.lines;

import java.nio.charset.StandardCharsets;
import org.loggregator.agent.forward.ManyToOneEnvelopeRing;
import org.loggregator.agent.forward.TransitNumbering;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.agent.ratelimit.LogRateLimiter;
import org.loggregator.protocol.LogEnvelopeWriter;

/**
 * Turns the lines of one stream of the child (stdout or stderr) into LogMessage envelopes, encoded
 * straight into the forward ring; used by the one thread that reads that stream. Never waits: a
 * line that finds the ring full is dropped and counted.
 *
 * <p>Timestamps are the read time, made strictly increasing within the stream so that lines read
 * together keep their order. Parts of a split line carry the tag {@value #LINE_PART_TAG}: {@code
 * 1}, {@code 2}, … and {@code K/K} on the last of K parts. Where the app lost lines, a notice goes
 * into its own stream (source type {@code LGR}, ERR): once per rate-limit window when the limit is
 * exceeded, and at most once a second after lines were dropped because the ring was full.
 */
public final class AppLogPublisher implements LineConsumer {

  /** The envelope tag that marks the parts of a split line. */
  public static final String LINE_PART_TAG = "line_part";

  private static final byte[] LINE_PART = LINE_PART_TAG.getBytes(StandardCharsets.US_ASCII);
  private static final long NOTICE_INTERVAL_NANOS = 1_000_000_000L;

  private final int messageType;
  private final LogEnvelopeWriter writer;
  private final LogEnvelopeWriter noticeWriter;
  private final ManyToOneEnvelopeRing ring;
  private final int destination;
  private final LogRateLimiter limiter;
  private final byte[] appId;
  private final long appKey;
  private final AgentCounters counters;
  private final byte[] rateNotice;
  private final byte[] partValue = new byte[24];
  private final byte[] dropNotice = new byte[128];

  private long lastTimestamp = Long.MIN_VALUE;
  private long droppedSinceNotice;
  private long lastDropNotice = Long.MIN_VALUE;

  /**
   * @param messageType {@link LogEnvelopeWriter#OUT} or {@link LogEnvelopeWriter#ERR}
   * @param writer encodes this app's lines
   * @param noticeWriter encodes notices into this app's stream (source type LGR)
   * @param destination the ring destination of this app's envelopes
   * @param limiter the app's rate limiter, shared with its other stream; null for none
   * @param appId the app id as UTF-8, the rate limiter's key
   */
  public AppLogPublisher(
      int messageType,
      LogEnvelopeWriter writer,
      LogEnvelopeWriter noticeWriter,
      ManyToOneEnvelopeRing ring,
      int destination,
      LogRateLimiter limiter,
      byte[] appId,
      AgentCounters counters) {
    this.messageType = messageType;
    this.writer = writer;
    this.noticeWriter = noticeWriter;
    this.ring = ring;
    this.destination = destination;
    this.limiter = limiter;
    this.appId = appId.clone();
    this.appKey = TransitNumbering.appKey(appId, 0, appId.length);
    this.counters = counters;
    this.rateNotice = limiter == null ? new byte[0] : limiter.notice();
  }

  /**
   * A publisher of lines no one reads: one app's stdout, into {@code ring} at destination 0, with
   * no rate limit, its notices written by {@code writer} too. For warming up the line path a
   * child's output takes, and for measuring it.
   */
  public static AppLogPublisher unread(
      LogEnvelopeWriter writer, ManyToOneEnvelopeRing ring, String appId, AgentCounters counters) {
    return new AppLogPublisher(
        LogEnvelopeWriter.OUT,
        writer,
        writer,
        ring,
        0,
        null,
        appId.getBytes(StandardCharsets.UTF_8),
        counters);
  }

  @Override
  public void onLine(
      byte[] bytes, int offset, int length, long timestampNanos, int part, boolean lastPart) {
    long ts = timestampNanos > lastTimestamp ? timestampNanos : lastTimestamp + 1;
    lastTimestamp = ts;
    if (limiter != null) {
      LogRateLimiter.Verdict verdict = limiter.admit(appId, 0, appId.length, ts);
      if (verdict != LogRateLimiter.Verdict.ADMIT) {
        counters.increment(AgentCounter.DROPPED_RATE_LIMITED);
        if (verdict == LogRateLimiter.Verdict.DROP_AND_NOTIFY) {
          publishNotice(rateNotice, rateNotice.length, ts);
        }
        return;
      }
    }
    int valueLength = part == 0 ? 0 : partValue(part, lastPart);
    int length2 =
        part == 0
            ? writer.encodedLength(ts, length)
            : writer.encodedLength(ts, length, LINE_PART.length, valueLength);
    int at = ring.tryClaim(destination, appKey, length2);
    if (at < 0) {
      counters.increment(AgentCounter.DROPPED_QUEUE_FULL);
      droppedSinceNotice++;
      return;
    }
    int written = writer.write(ring.buffer(), at, messageType, ts, bytes, offset, length);
    if (part != 0) {
      LogEnvelopeWriter.appendTag(
          ring.buffer(), at + written, LINE_PART, partValue, 0, valueLength);
    }
    ring.commit(at);
    if (droppedSinceNotice > 0
        && (lastDropNotice == Long.MIN_VALUE || ts - lastDropNotice >= NOTICE_INTERVAL_NANOS)) {
      int n = dropNotice(droppedSinceNotice);
      if (publishNotice(dropNotice, n, ts)) {
        droppedSinceNotice = 0;
        lastDropNotice = ts;
      }
    }
  }

  private boolean publishNotice(byte[] text, int length, long ts) {
    int at = ring.tryClaim(destination, appKey, noticeWriter.encodedLength(ts, length));
    if (at < 0) {
      counters.increment(AgentCounter.DROPPED_QUEUE_FULL);
      return false;
    }
    noticeWriter.write(ring.buffer(), at, LogEnvelopeWriter.ERR, ts, text, 0, length);
    ring.commit(at);
    counters.increment(AgentCounter.NOTICES);
    return true;
  }

  /** Writes "K" or, for the last part, "K/K" into partValue; returns its length. */
  private int partValue(int part, boolean last) {
    int p = writeDecimal(part, partValue, 0);
    if (last) {
      partValue[p++] = '/';
      p = writeDecimal(part, partValue, p);
    }
    return p;
  }

  private int dropNotice(long dropped) {
    int p = copy(DROP_NOTICE_HEAD, dropNotice, 0);
    p = writeDecimal(dropped, dropNotice, p);
    return copy(DROP_NOTICE_TAIL, dropNotice, p);
  }

  private static final byte[] DROP_NOTICE_HEAD =
      "Log message output too high. We've dropped ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DROP_NOTICE_TAIL =
      " messages to the agent's forward queue.".getBytes(StandardCharsets.US_ASCII);

  private static int copy(byte[] src, byte[] dst, int at) {
    System.arraycopy(src, 0, dst, at, src.length);
    return at + src.length;
  }

  /** Writes a non-negative number in ASCII at {@code dst[at]}; returns the offset after it. */
  static int writeDecimal(long value, byte[] dst, int at) {
    int digits = 1;
    for (long v = value; v >= 10; v /= 10) {
      digits++;
    }
    int p = at + digits;
    long v = value;
    do {
      dst[--p] = (byte) ('0' + (v % 10));
      v /= 10;
    } while (v != 0);
    return at + digits;
  }
}
