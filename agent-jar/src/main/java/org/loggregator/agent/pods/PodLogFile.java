package org.loggregator.agent.pods;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.loggregator.agent.lines.LineConsumer;
import org.loggregator.agent.lines.LineSplitter;
import org.loggregator.protocol.LogEnvelopeWriter;

/**
 * One CRI log file the {@link PodLogTailer} follows, and how far it read it; used by the tailer's
 * thread only. The file is known by its file key (device and inode): a new file at the same path is
 * another one, and this one, if renamed by a rotation, is still read to its end through its open
 * channel.
 */
final class PodLogFile {

  final PodRef pod;
  final String container;
  final Path path;
  final Object fileKey;

  /** The offset of the next byte to read: always the start of a line unless {@link #skipping}. */
  long position;

  /**
   * The file's size when it was last read to its end (or to a line not ended yet), -1 if not: the
   * file is read again only once it grew past it.
   */
  long readSize = -1;

  /** Open while the file is being read; closed when idle, or when too many are open. */
  FileChannel channel;

  /** When the file last grew (or was found), {@link System#nanoTime()}. */
  long lastGrowth;

  /** Renamed or deleted: read to its end, then forgotten. */
  boolean retired;

  /** Bytes up to the next newline are not a line's start (read from mid-line): skip them. */
  boolean skipping;

  /** Whether the pod's logs are skipped (no app id label), as last asked. */
  boolean podSkipped;

  /**
   * The message type of a line longer than the read buffer whose message is being read across
   * reads, or 0 for none; with whether it is a part (P) and its timestamp.
   */
  int longLineType;

  boolean longLinePartial;
  long longLineTimestamp;

  /** The pod's app id, once known; then the publishers of its two streams. */
  String appId;

  LineConsumer out;
  LineConsumer err;

  /**
   * The joiners of a stream whose line is not complete yet (after a P line, or in a long line);
   * null otherwise, so that only files with an open line hold a line's worth of memory.
   */
  LineSplitter outJoin;

  LineSplitter errJoin;

  PodLogFile(PodRef pod, String container, Path path, Object fileKey) {
    this.pod = pod;
    this.container = container;
    this.path = path;
    this.fileKey = fileKey;
  }

  LineConsumer publisher(int messageType) {
    return messageType == LogEnvelopeWriter.OUT ? out : err;
  }

  LineSplitter join(int messageType) {
    return messageType == LogEnvelopeWriter.OUT ? outJoin : errJoin;
  }

  void setJoin(int messageType, LineSplitter join) {
    if (messageType == LogEnvelopeWriter.OUT) {
      outJoin = join;
    } else {
      errJoin = join;
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
