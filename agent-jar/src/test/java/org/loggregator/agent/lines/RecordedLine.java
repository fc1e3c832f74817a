package org.loggregator.agent.lines;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One line a test consumer saw. */
record RecordedLine(byte[] bytes, long timestamp, int part, boolean lastPart) {

  String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A consumer that records what it is given. */
  static final class Recorder implements LineConsumer {
    final List<RecordedLine> lines = new ArrayList<>();

    @Override
    public void onLine(byte[] b, int offset, int length, long ts, int part, boolean lastPart) {
      lines.add(
          new RecordedLine(Arrays.copyOfRange(b, offset, offset + length), ts, part, lastPart));
    }

    List<String> texts() {
      return lines.stream().map(RecordedLine::text).toList();
    }
  }
}
