package org.loggregator.agent.lines;

/** Takes the lines of one stream, in order, from the one thread that reads that stream. */
@FunctionalInterface
public interface LineConsumer {

  /**
   * One line, or one part of a line too long for one envelope, without its line terminator: {@code
   * bytes[offset, offset + length)}, valid only during the call.
   *
   * @param timestampNanos when its first byte was read, UNIX nanoseconds
   * @param part 0 for a whole line; 1, 2, … for the parts of a split line
   * @param lastPart whether this is the last part (always true for a whole line)
   */
  void onLine(
      byte[] bytes, int offset, int length, long timestampNanos, int part, boolean lastPart);
}
