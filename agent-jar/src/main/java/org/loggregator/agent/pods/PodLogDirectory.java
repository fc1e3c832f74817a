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
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.agent.pods.PodLogTailer.Limits;

/**
 * The log directory the {@link PodLogTailer} follows, laid out as the kubelet lays out {@code
 * /var/log/pods} ({@code <namespace>_<pod>_<uid>/<container>/<N>.log}): which files it holds, and
 * which of them are open. Used by the tailer's thread only.
 *
 * <p>A scan tracks the log files it finds (those present at the first scan from their end) and
 * retires those that went away or were replaced at their path (rotation); a retired file is read on
 * to its end through its channel, or found again under its rotated name by its file key, for
 * {@value #RETIRED_GRACE_MILLIS} ms after it last grew. Symbolic links are never followed (a pod,
 * container or log path that is one is skipped); paths it will not follow are counted once each. At
 * most {@link Limits#trackedFiles()} files are tracked and {@link Limits#openFiles()} open (the
 * file idle longest is closed to open another).
 */
final class PodLogDirectory {

  /**
   * How long a retired file is still read after it last grew: a runtime writes on until reopened.
   */
  static final int RETIRED_GRACE_MILLIS = 3_000;

  private static final int MAX_IGNORED_REMEMBERED = 4_096;

  private final Path root;
  private final Limits limits;
  private final PodLogReader reader;
  private final AgentCounters counters;
  private final Map<Path, PodLogFile> files = new LinkedHashMap<>();
  private final List<PodLogFile> retired = new ArrayList<>();
  private final Set<Path> ignored = new HashSet<>();
  private volatile int openFiles;
  private volatile int trackedFiles;
  private boolean scanned;

  /**
   * @param reader finishes the incomplete lines of the files it lets go
   */
  PodLogDirectory(Path root, Limits limits, PodLogReader reader, AgentCounters counters) {
    this.root = root;
    this.limits = limits;
    this.reader = reader;
    this.counters = counters;
  }

  /** Files open now; from any thread. */
  int openFiles() {
    return openFiles;
  }

  /** Files tracked now; from any thread. */
  int trackedFiles() {
    return trackedFiles;
  }

  /** The files tracked at their paths (not the retired ones). */
  Collection<PodLogFile> files() {
    return files.values();
  }

  // ---- the scan

  /** Lists the directory: tracks the new files, retires those gone or replaced. */
  void scan(long now) {
    boolean initial = !scanned; // the first scan that can list the directory
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
  void startAtEnd(PodLogFile f, long size) {
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

  private static boolean isDirectory(Path p) {
    BasicFileAttributes a = attributes(p);
    return a != null && a.isDirectory();
  }

  /** The path's own attributes, a symbolic link's included (never its target's); null if gone. */
  static BasicFileAttributes attributes(Path p) {
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

  // ---- rotation

  /** Stops following {@code f} at its path; what it still holds is read from its channel. */
  private void retire(PodLogFile f) {
    f.retired = true;
    if (f.channel == null && f.appId != null) {
      reopenRotated(f);
    }
    if (f.channel == null) {
      reader.finishJoins(f);
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

  /**
   * Reads every retired file on to its end, and lets go of those that stayed there for the grace
   * period (or all, once {@code stopping}); true if any line was read.
   */
  boolean drainRetired(long now, BooleanSupplier stopping) {
    boolean busy = false;
    for (Iterator<PodLogFile> i = retired.iterator(); i.hasNext(); ) {
      PodLogFile f = i.next();
      busy |= drainRetired(f, now, stopping);
      if (f.channel == null) {
        i.remove();
      }
    }
    return busy;
  }

  /** Reads a retired file on to its end; closes it once it stayed there for the grace period. */
  private boolean drainRetired(PodLogFile f, long now, BooleanSupplier stopping) {
    boolean read = false;
    try {
      long size = f.channel.size();
      if (size > f.position && size != f.readSize) {
        f.lastGrowth = now;
        reader.read(f, size, false);
        read = true;
      }
      if (now - f.lastGrowth < TimeUnit.MILLISECONDS.toNanos(RETIRED_GRACE_MILLIS)
          && !stopping.getAsBoolean()) {
        return read;
      }
      reader.read(f, size, true);
    } catch (IOException e) {
      // unreadable now: what was read is sent
    }
    reader.finishJoins(f);
    close(f);
    return read;
  }

  // ---- open files

  /**
   * Opens {@code path} as {@code f} if it is still that file, closing the file idle longest first
   * if as many as allowed are open; false if it could not.
   */
  boolean open(PodLogFile f, Path path) {
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

  void close(PodLogFile f) {
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

  /** Passes on every file's incomplete lines as they are and closes every file. */
  void closeAll() {
    for (PodLogFile f : retired) {
      reader.finishJoins(f);
      close(f);
    }
    retired.clear();
    for (PodLogFile f : files.values()) {
      reader.finishJoins(f);
      close(f);
    }
  }
}
