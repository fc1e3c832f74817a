package org.loggregator.protocol;

/**
 * Why {@link EnvelopeReader} accepted or refused the bytes of one envelope; a receive loop counts
 * each refusal reason instead of logging it.
 */
public enum ReadResult {
  /** The envelope is well formed and its routing fields were read. */
  OK,
  /** A varint or a length-delimited field runs past the end of the bytes (or of its message). */
  TRUNCATED,
  /**
   * Not protobuf as the schema allows: a known field with the wrong wire type, a group or invalid
   * wire type, field number 0, a varint longer than 10 bytes, or a negative length.
   */
  MALFORMED,
  /** {@code origin} or {@code eventType} is absent, or the payload lacks a required field. */
  MISSING_REQUIRED,
  /** {@code eventType} is unknown, or names a payload the envelope does not carry. */
  PAYLOAD_MISMATCH
}
