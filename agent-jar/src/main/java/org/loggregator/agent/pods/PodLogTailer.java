package org.loggregator.agent.pods;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * #READ_BUFFER} bytes serves every file; a line's worth of memory ({@code maxLineBytes}) is held
 * only by a stream whose line is not complete yet, at most {@value #MAX_OPEN_JOINS} at once (past
 * that, a P line goes out unjoined, counted). Paths it will not follow are counted once each
 * ({@link AgentCounter#POD_IGNORED_PATHS}).
 *
 * <p><b>App ids.</b> A file is read only once its pod's app id is known: while it is being looked
 * up, lines wait on disk; a pod whose logs are skipped is not read, and if it gets an app id later,
 * is read from the end it has then.
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
  static final int READ_BUFFER = 128 * 1024;

  /**
   * How long a retired file is still read after it last grew: a runtime writes on until reopened.
   */
  static final int RETIRED_GRACE_MILLIS = 3_000;

  private static final int MAX_READ_PER_POLL = 1 << 20;
  private static final int MAX_IGNORED_REMEMBERED = 4_096;

  private final Path root;
  private final Function<PodRef, String> appIds;
  private final Publishers publishers;
  private final int maxLineBytes;
  private final Limits limits;
  private final AgentCounters counters;
  private final LongSupplier clock;
  private final Map<Path, PodLogFile> files = new LinkedHashMap<>();
  private final List<PodLogFile> retired = new ArrayList<>();
  private final Set<Path> ignored = new HashSet<>();
  private final byte[] buffer = new byte[READ_BUFFER + 1]; // + room for a last line's '\n'
  private final ByteBuffer window = ByteBuffer.wrap(buffer, 0, READ_BUFFER);
  private final CriLine line = new CriLine();
  private final Route route;
  private final LineSplitter whole;
  private final Thread thread;
  private volatile boolean closed;
  private volatile int openFiles;
  private volatile int trackedFiles;
  private int openJoins;
  private boolean scanned;
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
    this.root = root;
    this.appIds = appIds;
    this.publishers = publishers;
    this.maxLineBytes = maxLineBytes;
    this.limits = limits;
    this.counters = counters;
    this.clock = clock;
    this.route = new Route(counters);
    this.whole = new LineSplitter(maxLineBytes, route);
    this.thread = new Thread(this::run, "agent-pod-logs");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  int openFiles() {
    return openFiles;
  }

  int trackedFiles() {
    return trackedFiles;
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
    finishAll();
  }

  /**
   * One round: the directory when a scan is due, then every retired file and every file; true if
   * any line was read.
   */
  boolean round() {
    long now = clock.getAsLong();
    if (!triedScan || now - lastScan >= TimeUnit.MILLISECONDS.toNanos(SCAN_MILLIS)) {
      scan(now);
    }
    boolean busy = false;
    for (Iterator<PodLogFile> i = retired.iterator(); i.hasNext(); ) {
      PodLogFile f = i.next();
      busy |= drainRetired(f, now);
      if (f.channel == null) {
        i.remove();
      }
    }
    for (PodLogFile f : files.values()) {
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

  // ---- the directory

  private void scan(long now) {
    boolean initial = !scanned; // the first scan that can list the directory
    triedScan = true;
    lastScan = now;
    Set<Path> seen = new HashSet<>();
    try (DirectoryStream<Path> pods = Files.newDirectoryStream(root)) {
      for (Path podDir : pods) {
        PodRef pod = PodRef.parse(podDir.getFileName().toString()).orElse(null);
        if (pod == null || !isDirectory(podDir)) {
          ignore(podDir);
          continue;
        }
        scanPod(podDir, pod, initial, now, seen);
      }
    } catch (IOException | DirectoryIteratorException e) {
      // The directory is gone or unreadable for now: follow what is open, look again next scan.
      return;
    }
    scanned = true;
    for (Iterator<PodLogFile> i = files.values().iterator(); i.hasNext(); ) {
      PodLogFile f = i.next();
      if (!seen.contains(f.path)) {
        i.remove();
        retire(f);
      }
    }
    trackedFiles = files.size();
  }

  private void scanPod(Path podDir, PodRef pod, boolean initial, long now, Set<Path> seen) {
    try (DirectoryStream<Path> containers = Files.newDirectoryStream(podDir)) {
      for (Path containerDir : containers) {
        String container = containerDir.getFileName().toString();
        if (!PodRef.isContainerName(container) || !isDirectory(containerDir)) {
          ignore(containerDir);
          continue;
        }
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(containerDir)) {
          for (Path log : logs) {
            if (!PodRef.isLogFileName(log.getFileName().toString())) {
              continue; // rotated files and anything else: not ours to read
            }
            BasicFileAttributes attributes = attributes(log);
            if (attributes == null || !attributes.isRegularFile()) {
              ignore(log);
              continue;
            }
            seen.add(log);
            track(log, pod, container, attributes, initial, now);
          }
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      // Removed while listed: what was seen stays, the rest is looked at next scan.
    }
  }

  private void track(
      Path log,
      PodRef pod,
      String container,
      BasicFileAttributes attributes,
      boolean initial,
      long now) {
    PodLogFile f = files.get(log);
    if (f != null) {
      if (f.fileKey.equals(attributes.fileKey())) {
        return;
      }
      files.remove(log);
      retire(f);
      counters.increment(AgentCounter.POD_ROTATIONS);
      initial = false;
    }
    if (files.size() >= limits.trackedFiles()) {
      ignore(log);
      return;
    }
    f = new PodLogFile(pod, container, log, attributes.fileKey());
    f.lastGrowth = now;
    if (initial) {
      startAtEnd(f, attributes.size());
    }
    files.put(log, f);
  }

  /** Sets the file's position to {@code size}, skipping to the next line if that is mid-line. */
  private void startAtEnd(PodLogFile f, long size) {
    f.position = size;
    f.skipping = false;
    if (size == 0) {
      return;
    }
    try (FileChannel c =
        FileChannel.open(f.path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      f.skipping = c.read(last, size - 1) == 1 && last.get(0) != '\n';
    } catch (IOException e) {
      // gone: the scan retires it
    }
  }

  /** Stops following {@code f} at its path; what it still holds is read from its channel. */
  private void retire(PodLogFile f) {
    f.retired = true;
    if (f.channel == null && f.appId != null) {
      reopenRotated(f);
    }
    if (f.channel == null) {
      finishJoins(f);
      return;
    }
    retired.add(f);
  }

  /**
   * Finds a rotated file by its file key beside its old path ({@code N.log.<time>}) and opens it.
   */
  private void reopenRotated(PodLogFile f) {
    String prefix = f.path.getFileName().toString() + ".";
    try (DirectoryStream<Path> siblings = Files.newDirectoryStream(f.path.getParent())) {
      for (Path sibling : siblings) {
        String name = sibling.getFileName().toString();
        if (!name.startsWith(prefix) || name.endsWith(".gz")) {
          continue;
        }
        BasicFileAttributes a = attributes(sibling);
        if (a != null && a.isRegularFile() && f.fileKey.equals(a.fileKey())) {
          open(f, sibling);
          return;
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      // the container's directory is gone too
    }
  }

  private static boolean isDirectory(Path p) {
    BasicFileAttributes a = attributes(p);
    return a != null && a.isDirectory();
  }

  /** The path's own attributes, a symbolic link's included (never its target's); null if gone. */
  private static BasicFileAttributes attributes(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }

  private void ignore(Path p) {
    if (ignored.size() >= MAX_IGNORED_REMEMBERED) {
      ignored.clear();
    }
    if (ignored.add(p)) {
      counters.increment(AgentCounter.POD_IGNORED_PATHS);
    }
  }

  // ---- the files

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
        BasicFileAttributes a = attributes(f.path);
        if (a == null || !f.fileKey.equals(a.fileKey())) {
          return false; // replaced or gone: the next scan retires it
        }
        size = a.size();
      }
      if (size < f.position) {
        counters.increment(AgentCounter.POD_TRUNCATIONS);
        finishJoins(f);
        f.position = 0;
        f.skipping = false;
        f.readSize = -1;
      }
      if (size == f.position || size == f.readSize) { // nothing new, or a line not ended yet
        if (now - f.lastGrowth >= TimeUnit.SECONDS.toNanos(IDLE_CLOSE_SECONDS)) {
          finishJoins(f);
          close(f);
        }
        return false;
      }
      if (f.channel == null && !open(f, f.path)) {
        return false;
      }
      f.lastGrowth = now;
      read(f, size, false);
      return true;
    } catch (IOException e) {
      close(f); // deleted under us, or unreadable: the next scan decides
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
      close(f);
      return false;
    }
    if (f.podSkipped) {
      BasicFileAttributes a = attributes(f.path);
      if (a == null || !f.fileKey.equals(a.fileKey())) {
        return false;
      }
      startAtEnd(f, a.size());
      f.podSkipped = false;
    }
    f.appId = answer;
    f.out = publishers.publisher(answer, f.pod, f.container, LogEnvelopeWriter.OUT);
    f.err = publishers.publisher(answer, f.pod, f.container, LogEnvelopeWriter.ERR);
    return true;
  }

  /** Reads a retired file on to its end; closes it once it stayed there for the grace period. */
  private boolean drainRetired(PodLogFile f, long now) {
    boolean read = false;
    try {
      long size = f.channel.size();
      if (size > f.position && size != f.readSize) {
        f.lastGrowth = now;
        read(f, size, false);
        read = true;
      }
      if (now - f.lastGrowth < TimeUnit.MILLISECONDS.toNanos(RETIRED_GRACE_MILLIS) && !closed) {
        return read;
      }
      read(f, size, true);
    } catch (IOException e) {
      // unreadable now: what was read is sent
    }
    finishJoins(f);
    close(f);
    return read;
  }

  private boolean open(PodLogFile f, Path path) {
    if (openFiles >= limits.openFiles()) {
      closeLongestIdle();
    }
    try {
      FileChannel c = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      BasicFileAttributes a = attributes(path);
      if (a == null || !f.fileKey.equals(a.fileKey())) {
        c.close(); // replaced between the look and the open
        return false;
      }
      f.channel = c;
      openFiles++;
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void closeLongestIdle() {
    PodLogFile idlest = null;
    for (PodLogFile f : files.values()) {
      if (f.channel != null && (idlest == null || f.lastGrowth - idlest.lastGrowth < 0)) {
        idlest = f;
      }
    }
    if (idlest != null) {
      close(idlest);
    }
  }

  private void close(PodLogFile f) {
    if (f.channel == null) {
      return;
    }
    try {
      f.channel.close();
    } catch (IOException e) {
      // closed anyway
    }
    f.channel = null;
    openFiles--;
  }

  /**
   * Reads {@code f} from its position, up to {@value #MAX_READ_PER_POLL} bytes, and notes {@code
   * size} as read if it got to the end; with {@code atEnd}, a last line without its newline counts
   * as whole (the file will not grow any more).
   */
  private void read(PodLogFile f, long size, boolean atEnd) throws IOException {
    long total = 0;
    while (total < MAX_READ_PER_POLL) {
      window.clear().limit(READ_BUFFER);
      int n = f.channel.read(window, f.position);
      if (n <= 0) {
        f.readSize = size;
        return;
      }
      int consumed = lines(f, n, atEnd);
      f.position += consumed;
      total += consumed;
      counters.add(AgentCounter.POD_BYTES, consumed);
      if (n < READ_BUFFER || consumed == 0) {
        f.readSize = size; // the end, or a line whose end is not written yet
        return;
      }
    }
    f.readSize = -1; // more to read next round
  }

  /** Passes on the lines of {@code buffer[0, n)}; returns how many bytes it used. */
  private int lines(PodLogFile f, int n, boolean atEnd) {
    int start = 0;
    if (f.skipping || f.longLineType != 0) {
      int newline = indexOfNewline(0, n);
      if (f.longLineType != 0) {
        continueLongLine(f, newline < 0 ? n : newline, newline >= 0);
      }
      if (newline < 0) {
        return n;
      }
      f.skipping = false;
      start = newline + 1;
    }
    while (start < n) {
      int newline = indexOfNewline(start, n);
      if (newline < 0) {
        break;
      }
      line(f, start, newline);
      start = newline + 1;
    }
    if (start == 0 && n == READ_BUFFER) {
      startLongLine(f, n);
      return n;
    }
    if (atEnd && start < n) {
      buffer[n] = '\n';
      line(f, start, n);
      return n;
    }
    return start;
  }

  /** One line, {@code buffer[start, newline)}, {@code buffer[newline]} being its '\n'. */
  private void line(PodLogFile f, int start, int newline) {
    counters.increment(AgentCounter.POD_LINES);
    if (!line.parse(buffer, start, newline - start)) {
      counters.increment(AgentCounter.POD_MALFORMED_LINES);
      return;
    }
    int type = line.messageType;
    LineSplitter join = joinFor(f, type);
    if (join == null) {
      if (!line.partial) {
        whole.feed(buffer, line.messageOffset, line.messageLength + 1, line.timestampNanos);
        return;
      }
      join = openJoin(f, type);
      if (join == null) {
        counters.increment(AgentCounter.POD_UNJOINED_LINES);
        whole.feed(buffer, line.messageOffset, line.messageLength + 1, line.timestampNanos);
        return;
      }
    }
    int length = line.partial ? line.messageLength : line.messageLength + 1;
    join.feed(buffer, line.messageOffset, length, line.timestampNanos);
    releaseIfComplete(f, type, join);
  }

  /** A line longer than the buffer: passes on its start, and reads the rest as it comes. */
  private void startLongLine(PodLogFile f, int n) {
    counters.increment(AgentCounter.POD_LINES);
    if (!line.parse(buffer, 0, n)) {
      counters.increment(AgentCounter.POD_MALFORMED_LINES);
      f.skipping = true;
      return;
    }
    int type = line.messageType;
    LineSplitter join = joinFor(f, type);
    if (join == null) {
      join = openJoin(f, type);
    }
    if (join == null) {
      counters.increment(AgentCounter.POD_UNJOINED_LINES);
      f.skipping = true;
      return;
    }
    join.feed(buffer, line.messageOffset, line.messageLength, line.timestampNanos);
    f.longLineType = type;
    f.longLinePartial = line.partial;
    f.longLineTimestamp = line.timestampNanos;
  }

  /** More of a long line's message, {@code buffer[0, end)}; with {@code ends}, its last. */
  private void continueLongLine(PodLogFile f, int end, boolean ends) {
    int type = f.longLineType;
    LineSplitter join = joinFor(f, type);
    int length = ends && !f.longLinePartial ? end + 1 : end;
    join.feed(buffer, 0, length, f.longLineTimestamp);
    if (ends) {
      f.longLineType = 0;
      releaseIfComplete(f, type, join);
    }
  }

  /** The joiner of {@code f}'s stream, null if none is open; and routes lines to its publisher. */
  private LineSplitter joinFor(PodLogFile f, int type) {
    route.target = f.publisher(type);
    return f.join(type);
  }

  private LineSplitter openJoin(PodLogFile f, int type) {
    if (openJoins >= limits.openJoins()) {
      return null;
    }
    LineSplitter join = new LineSplitter(maxLineBytes, route);
    f.setJoin(type, join);
    openJoins++;
    return join;
  }

  private void releaseIfComplete(PodLogFile f, int type, LineSplitter join) {
    if (!join.hasPartialLine() && f.longLineType != type) {
      f.setJoin(type, null);
      openJoins--;
    }
  }

  /** Passes on the incomplete lines {@code f} holds, as they are. */
  private void finishJoins(PodLogFile f) {
    for (int type : new int[] {LogEnvelopeWriter.OUT, LogEnvelopeWriter.ERR}) {
      LineSplitter join = joinFor(f, type);
      if (join != null) {
        join.finish();
        f.setJoin(type, null);
        openJoins--;
      }
    }
    f.longLineType = 0;
  }

  private void finishAll() {
    for (PodLogFile f : retired) {
      finishJoins(f);
      close(f);
    }
    retired.clear();
    for (PodLogFile f : files.values()) {
      finishJoins(f);
      close(f);
    }
  }

  private int indexOfNewline(int from, int to) {
    for (int i = from; i < to; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * The consumer behind every joiner: passes each line to the publisher the tailer chose last,
   * counting the lines sent in parts.
   */
  private static final class Route implements LineConsumer {
    private final AgentCounters counters;
    LineConsumer target;

    Route(AgentCounters counters) {
      this.counters = counters;
    }

    @Override
    public void onLine(
        byte[] bytes, int offset, int length, long timestampNanos, int part, boolean lastPart) {
      if (part > 0 && lastPart) {
        counters.increment(AgentCounter.SPLIT_LINES);
      }
      target.onLine(bytes, offset, length, timestampNanos, part, lastPart);
    }
  }
}
