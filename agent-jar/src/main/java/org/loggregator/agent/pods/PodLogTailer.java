package org.loggregator.agent.pods;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.loggregator.agent.lines.LineConsumer;
import org.loggregator.agent.lines.LineSplitter;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.protocol.LogEnvelopeWriter;

/**
 * Follows the CRI container log files under a directory laid out as the kubelet lays out {@code
 * /var/log/pods} ({@code <namespace>_<pod>_<uid>/<container>/<N>.log}) and passes each line to the
 * publisher of its pod's app id and stream; one thread, its own, polling (every {@value
 * #POLL_MILLIS} ms, the directory every {@value #SCAN_MILLIS} ms).
 *
 * <p><b>Where it starts.</b> Files present at the first scan are read from their end (what they
 * held before the agent started is not sent again, nor sent at all); files that appear later, from
 * their start. A file that another replaces at the same path (rotation: {@code N.log} renamed to
 * {@code N.log.<time>} and a new {@code N.log} made; or deleted and made again) is read to its end
 * through the channel already open on it (or found again under its rotated name by its file key)
 * before the new one, which is read from its start; a file that shrinks (truncated) is read again
 * from its start. Rotated ({@code N.log.<time>}, {@code .gz}) and other files are never opened.
 *
 * <p><b>Lines.</b> Each line is a {@link CriLine}; one that is not is counted ({@link
 * AgentCounter#POD_MALFORMED_LINES}) and skipped. A P line is joined with the lines of the same
 * stream that follow, up to the F line that ends it; a line (joined or not) longer than {@code
 * maxLineBytes} is sent in parts tagged {@code line_part}, as the child's output is ({@link
 * LineSplitter}). The envelope's timestamp is the CRI timestamp (of the first part of a joined
 * line).
 *
 * <p><b>Bounds.</b> Symbolic links are never followed: a pod, container or log path that is one is
 * skipped, so nothing outside the directory is read. At most {@value #MAX_TRACKED_FILES} files are
 * followed and {@value #MAX_OPEN_FILES} open at once (the file idle longest is closed to open
 * another; a file idle {@value #IDLE_CLOSE_SECONDS} s is closed anyway). One read buffer of {@value
 * PodLogReader#READ_BUFFER} bytes serves every file; a line's worth of memory ({@code
 * maxLineBytes}) is held only by a stream whose line is not complete yet, at most {@value
 * #MAX_OPEN_JOINS} at once (past that, a P line goes out unjoined, counted). Paths it will not
 * follow are counted once each ({@link AgentCounter#POD_IGNORED_PATHS}).
 *
 * <p><b>App ids.</b> A file is read only once its pod's app id is known: while it is being looked
 * up, lines wait on disk; a pod whose logs are skipped is not read, and if it gets an app id later,
 * is read from the end it has then.
 *
 * <p><b>Inside.</b> The tailer holds the thread and its rounds, and asks each pod's app id; the
 * {@link PodLogDirectory} the files (scans, rotation, open files), the {@link PodLogReader} what
 * becomes of their bytes (lines, joins, publishers).
 */
final class PodLogTailer implements AutoCloseable {

  /** Makes the publisher of one pod container's stream ({@link LogEnvelopeWriter#OUT}/ERR). */
  @FunctionalInterface
  interface Publishers {
    LineConsumer publisher(String appId, PodRef pod, String container, int messageType);
  }

  /**
   * How much it follows at most.
   *
   * @param trackedFiles files followed
   * @param openFiles files open at once
   * @param openJoins streams holding an incomplete line at once (a line's worth of memory each)
   */
  record Limits(int trackedFiles, int openFiles, int openJoins) {
    static final Limits DEFAULT = new Limits(MAX_TRACKED_FILES, MAX_OPEN_FILES, MAX_OPEN_JOINS);
  }

  static final int POLL_MILLIS = 200;
  static final int SCAN_MILLIS = 1_000;
  static final int MAX_TRACKED_FILES = 8_192;
  static final int MAX_OPEN_FILES = 256;
  static final int MAX_OPEN_JOINS = 64;
  static final int IDLE_CLOSE_SECONDS = 30;

  private final Function<PodRef, String> appIds;
  private final Publishers publishers;
  private final AgentCounters counters;
  private final LongSupplier clock;
  private final PodLogReader reader;
  private final PodLogDirectory directory;
  private final Thread thread;
  private volatile boolean closed;
  private final BooleanSupplier stopping = () -> closed;
  private boolean triedScan;
  private long lastScan;

  /**
   * @param appIds the app id of a pod, or {@link PodAppIds#PENDING} or {@link PodAppIds#SKIPPED}
   * @param clock nanoseconds, as {@link System#nanoTime()}
   */
  PodLogTailer(
      Path root,
      Function<PodRef, String> appIds,
      Publishers publishers,
      int maxLineBytes,
      Limits limits,
      AgentCounters counters,
      LongSupplier clock) {
    this.appIds = appIds;
    this.publishers = publishers;
    this.counters = counters;
    this.clock = clock;
    this.reader = new PodLogReader(maxLineBytes, limits.openJoins(), counters);
    this.directory = new PodLogDirectory(root, limits, reader, counters);
    this.thread = new Thread(this::run, "agent-pod-logs");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  int openFiles() {
    return directory.openFiles();
  }

  int trackedFiles() {
    return directory.trackedFiles();
  }

  private void run() {
    while (!closed) {
      boolean busy;
      try {
        busy = round();
      } catch (RuntimeException e) {
        busy = false; // a bug, not the input's doing: keep following the other files
      }
      if (!busy && !closed) {
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
      }
    }
    directory.closeAll();
  }

  /**
   * One round: the directory when a scan is due, then every retired file and every file; true if
   * any line was read.
   */
  boolean round() {
    long now = clock.getAsLong();
    if (!triedScan || now - lastScan >= TimeUnit.MILLISECONDS.toNanos(SCAN_MILLIS)) {
      triedScan = true;
      lastScan = now;
      directory.scan(now);
    }
    boolean busy = directory.drainRetired(now, stopping);
    for (PodLogFile f : directory.files()) {
      busy |= poll(f, now);
    }
    return busy;
  }

  /** Stops the thread after its round and waits up to 2 s; pending lines are sent as they are. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads what {@code f} has, if its pod's app id is known; true if it read anything. */
  private boolean poll(PodLogFile f, long now) {
    if (!resolve(f)) {
      return false;
    }
    try {
      long size;
      if (f.channel != null) {
        size = f.channel.size();
      } else {
        BasicFileAttributes a = PodLogDirectory.attributes(f.path);
        if (a == null || !f.fileKey.equals(a.fileKey())) {
          return false; // replaced or gone: the next scan retires it
        }
        size = a.size();
      }
      if (size < f.position) {
        counters.increment(AgentCounter.POD_TRUNCATIONS);
        reader.finishJoins(f);
        f.position = 0;
        f.skipping = false;
        f.readSize = -1;
      }
      if (size == f.position || size == f.readSize) { // nothing new, or a line not ended yet
        if (now - f.lastGrowth >= TimeUnit.SECONDS.toNanos(IDLE_CLOSE_SECONDS)) {
          reader.finishJoins(f);
          directory.close(f);
        }
        return false;
      }
      if (f.channel == null && !directory.open(f, f.path)) {
        return false;
      }
      f.lastGrowth = now;
      reader.read(f, size, false);
      return true;
    } catch (IOException e) {
      directory.close(f); // deleted under us, or unreadable: the next scan decides
      return false;
    }
  }

  /**
   * Whether {@code f}'s pod has an app id to send its lines under; makes its publishers the first
   * time. A skipped pod's file is kept at its end, so that a label added later starts there.
   */
  private boolean resolve(PodLogFile f) {
    if (f.appId != null) {
      return true;
    }
    String answer = appIds.apply(f.pod);
    if (answer == PodAppIds.PENDING) {
      return false;
    }
    if (answer == PodAppIds.SKIPPED) {
      f.podSkipped = true;
      directory.close(f);
      return false;
    }
    if (f.podSkipped) {
      BasicFileAttributes a = PodLogDirectory.attributes(f.path);
      if (a == null || !f.fileKey.equals(a.fileKey())) {
        return false;
      }
      directory.startAtEnd(f, a.size());
      f.podSkipped = false;
    }
    f.appId = answer;
    f.out = publishers.publisher(answer, f.pod, f.container, LogEnvelopeWriter.OUT);
    f.err = publishers.publisher(answer, f.pod, f.container, LogEnvelopeWriter.ERR);
    return true;
  }
}
