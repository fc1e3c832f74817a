package org.loggregator.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The routing fields of one envelope, filled by {@link EnvelopeReader#read}; mutable and reused
 * from envelope to envelope, so not thread-safe.
 *
 * <p>Values are meaningful only after a read that returned {@link ReadResult#OK}. String fields are
 * kept as offsets into the buffer that was read ({@link #buffer()}), valid as long as the caller
 * leaves that buffer untouched; copy what must outlive it. Absent string fields have offset -1 and
 * length 0.
 */
public final class RoutingFields {

  /** The {@link #eventType()} of an HttpStartStop ({@code Envelope.EventType.HttpStartStop}). */
  public static final int HTTP_START_STOP = 4;

  /** The {@link #eventType()} of a LogMessage ({@code Envelope.EventType.LogMessage}). */
  public static final int LOG_MESSAGE = 5;

  /** The {@link #eventType()} of a ContainerMetric ({@code Envelope.EventType.ContainerMetric}). */
  public static final int CONTAINER_METRIC = 9;

  private final byte[] uuidText = new byte[AppIds.UUID_TEXT_LENGTH];

  private byte[] buffer;
  int eventType;
  long timestamp;

  private byte[] appIdBytes;
  private int appIdOffset;
  private int appIdLength;
  private String appId;

  int messageType;
  long logTimestamp;
  int messageOffset;
  int messageLength;
  int sourceTypeOffset;
  int sourceTypeLength;
  int sourceInstanceOffset;
  int sourceInstanceLength;

  int drainUrlsOffset;
  int drainUrlsLength;

  int transitStart;
  boolean transitTracked;
  long transitEpoch;
  int transitSequence;
  int transitHostOffset;
  int transitHostLength;

  /** Creates an empty holder, as after a failed read. */
  public RoutingFields() {
    clear(null);
  }

  void clear(byte[] newBuffer) {
    buffer = newBuffer;
    eventType = 0;
    timestamp = 0;
    appIdBytes = null;
    appIdOffset = -1;
    appIdLength = 0;
    appId = null;
    messageType = 0;
    logTimestamp = 0;
    messageOffset = -1;
    messageLength = 0;
    sourceTypeOffset = -1;
    sourceTypeLength = 0;
    sourceInstanceOffset = -1;
    sourceInstanceLength = 0;
    drainUrlsOffset = -1;
    drainUrlsLength = 0;
    transitStart = -1;
    transitTracked = false;
    transitEpoch = 0;
    transitSequence = 0;
    transitHostOffset = -1;
    transitHostLength = 0;
  }

  void appIdAt(int offset, int length) {
    appIdBytes = buffer;
    appIdOffset = offset;
    appIdLength = length;
    appId = null;
  }

  void appIdFromUuid(long low, long high) {
    AppIds.writeUuidText(low, high, uuidText, 0);
    appIdBytes = uuidText;
    appIdOffset = 0;
    appIdLength = AppIds.UUID_TEXT_LENGTH;
    appId = null;
  }

  /** The buffer the last read looked at; string offsets below point into it. */
  public byte[] buffer() {
    return buffer;
  }

  /**
   * The {@code eventType} number ({@code Envelope.EventType.*_VALUE}, such as {@link
   * #LOG_MESSAGE}), or 0 when none was read.
   */
  public int eventType() {
    return eventType;
  }

  /** The envelope's timestamp in UNIX nanoseconds, or 0 when the envelope has none. */
  public long timestamp() {
    return timestamp;
  }

  /**
   * Whether the envelope names an application: a LogMessage or ContainerMetric with a non-empty app
   * id, or an HttpStartStop with an {@code applicationId}. An empty app id counts as none.
   */
  public boolean hasAppId() {
    return appIdLength > 0;
  }

  /**
   * The array holding the app id as UTF-8: {@link #buffer()} for LogMessage and ContainerMetric, an
   * internal array holding the UUID text for HttpStartStop; null when there is no app id.
   */
  public byte[] appIdBytes() {
    return hasAppId() ? appIdBytes : null;
  }

  /** Offset of the app id in {@link #appIdBytes()}, or -1 when there is none. */
  public int appIdOffset() {
    return hasAppId() ? appIdOffset : -1;
  }

  /** Length in bytes of the app id, or 0 when there is none. */
  public int appIdLength() {
    return appIdLength;
  }

  /** The app id as a String, built on first call after each read; null when there is none. */
  public String appId() {
    if (appId == null && hasAppId()) {
      appId = new String(appIdBytes, appIdOffset, appIdLength, StandardCharsets.UTF_8);
    }
    return appId;
  }

  /**
   * For a LogMessage, its {@code message_type} number (1 OUT, 2 ERR, as {@code
   * LogMessage.MessageType}); 0 for other envelopes.
   */
  public int messageType() {
    return messageType;
  }

  /** For a LogMessage, its own timestamp in UNIX nanoseconds; 0 for other envelopes. */
  public long logTimestamp() {
    return logTimestamp;
  }

  /** Offset in {@link #buffer()} of a LogMessage's message bytes, or -1. */
  public int messageOffset() {
    return messageOffset;
  }

  /** Length of a LogMessage's message bytes (0 when absent). */
  public int messageLength() {
    return messageLength;
  }

  /** Offset in {@link #buffer()} of a LogMessage's {@code source_type}, or -1 when absent. */
  public int sourceTypeOffset() {
    return sourceTypeOffset;
  }

  /** Length of a LogMessage's {@code source_type} (0 when absent). */
  public int sourceTypeLength() {
    return sourceTypeLength;
  }

  /** Offset in {@link #buffer()} of a LogMessage's {@code source_instance}, or -1 when absent. */
  public int sourceInstanceOffset() {
    return sourceInstanceOffset;
  }

  /** Length of a LogMessage's {@code source_instance} (0 when absent). */
  public int sourceInstanceLength() {
    return sourceInstanceLength;
  }

  /** Whether the envelope carries the tag {@code drain_urls}, whatever its value. */
  public boolean hasDrainUrls() {
    return drainUrlsOffset >= 0;
  }

  /** Offset in {@link #buffer()} of the value of the tag {@code drain_urls}, or -1 when absent. */
  public int drainUrlsOffset() {
    return drainUrlsOffset;
  }

  /** Length of the value of the tag {@code drain_urls} (0 when absent or empty). */
  public int drainUrlsLength() {
    return drainUrlsLength;
  }

  /**
   * Where the {@link TransitTrailer} starts in {@link #buffer()} (its tag), or -1 when the envelope
   * has none. The trailer is the envelope's last field: the envelope without it is {@code
   * buffer()[start, transitStart())}, which is what a doppler forwards.
   */
  public int transitStart() {
    return transitStart;
  }

  /** Whether the envelope carries a transit trailer of a version this code tracks. */
  public boolean hasTransit() {
    return transitTracked;
  }

  /** The sending agent's epoch, from the transit trailer; 0 when untracked. */
  public long transitEpoch() {
    return transitEpoch;
  }

  /** The app's sequence number from the transit trailer (unsigned, wrapping); 0 when untracked. */
  public int transitSequence() {
    return transitSequence;
  }

  /** Offset in {@link #buffer()} of the sending agent's host name, or -1 when untracked. */
  public int transitHostOffset() {
    return transitHostOffset;
  }

  /** Length in bytes of the sending agent's host name (0 when untracked). */
  public int transitHostLength() {
    return transitHostLength;
  }
}
