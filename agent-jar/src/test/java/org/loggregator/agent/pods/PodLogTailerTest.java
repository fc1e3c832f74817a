package org.loggregator.agent.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.protocol.LogEnvelopeWriter;

/**
 * The tailer driven round by round on a fake clock (each round is a scan too), over a directory
 * laid out as the kubelet's, with publishers that record what they are given.
 */
class PodLogTailerTest {

  static final String UID = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";

  /** One line a publisher was given. */
  record Sent(String appId, String instance, int type, String text, long timestamp, int part) {}

  @TempDir Path dir;

  private final AgentCounters counters = new AgentCounters();
  private final List<Sent> sent = new ArrayList<>();
  private final Map<String, String> appIds = new HashMap<>();
  private long now = TimeUnit.DAYS.toNanos(1);
  private PodLogTailer tailer;

  private Path root() throws IOException {
    return Files.createDirectories(dir.resolve("pods"));
  }

  private PodLogTailer tailer(int maxLineBytes, PodLogTailer.Limits limits) throws IOException {
    PodLogTailer.Publishers publishers =
        (appId, pod, container, type) ->
            (b, offset, length, ts, part, lastPart) ->
                sent.add(
                    new Sent(
                        appId,
                        pod.name() + "/" + container,
                        type,
                        new String(b, offset, length, StandardCharsets.UTF_8),
                        ts,
                        part));
    tailer =
        new PodLogTailer(
            root(),
            pod -> appIds.getOrDefault(pod.name(), "app-" + pod.name()),
            publishers,
            maxLineBytes,
            limits,
            counters,
            () -> now);
    return tailer;
  }

  private PodLogTailer tailer() throws IOException {
    return tailer(61_440, PodLogTailer.Limits.DEFAULT);
  }

  /** One round, a second after the last (so it scans too). */
  private void round() {
    now += TimeUnit.MILLISECONDS.toNanos(PodLogTailer.SCAN_MILLIS);
    tailer.round();
  }

  private Path logFile(String pod, String container, int restart) throws IOException {
    Path containerDir =
        Files.createDirectories(root().resolve("ns_" + pod + "_" + UID).resolve(container));
    return containerDir.resolve(restart + ".log");
  }

  private static String cri(int second, String stream, String tag, String message) {
    return String.format(
        "2024-05-01T10:00:%02d.000000123Z %s %s %s%n", second, stream, tag, message);
  }

  private static long nanos(int second) {
    Instant i = Instant.parse(String.format("2024-05-01T10:00:%02dZ", second));
    return i.getEpochSecond() * 1_000_000_000L + 123;
  }

  private static void append(Path file, String text) throws IOException {
    append(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void append(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private List<String> texts() {
    return sent.stream().map(Sent::text).toList();
  }

  @Test
  void shouldSendOnlyWhatIsWrittenAfterTheStartWhenFilesExistAtStart() throws IOException {
    Path log = logFile("web-1", "web", 0);
    append(log, cri(1, "stdout", "F", "before one") + cri(2, "stdout", "F", "before two"));
    append(log, "2024-05-01T10:00:03Z stdout F written while the agent sta");
    tailer();
    round();
    append(log, "rted\n" + cri(4, "stdout", "F", "after"));
    round();
    assertEquals(List.of("after"), texts());
    assertEquals(0, counters.get(AgentCounter.POD_MALFORMED_LINES), "the cut line is skipped");
  }

  @Test
  void shouldStartAtTheEndOfTheFilesItFindsWhenItCanFirstListTheDirectory() throws IOException {
    tailer();
    Files.delete(root());
    round();
    round();
    Path log = logFile("web-1", "web", 0);
    append(log, cri(1, "stdout", "F", "before the first listing"));
    round();
    append(log, cri(2, "stdout", "F", "after"));
    round();
    assertEquals(List.of("after"), texts());
  }

  @Test
  void shouldSendEachLineUnderItsPodsAppIdStreamAndCriTimestampWhenAFileAppears()
      throws IOException {
    tailer();
    round();
    Path log = logFile("web-1", "web", 0);
    append(log, cri(1, "stdout", "F", "to stdout") + cri(2, "stderr", "F", "to stderr"));
    round();
    assertEquals(
        List.of(
            new Sent("app-web-1", "web-1/web", LogEnvelopeWriter.OUT, "to stdout", nanos(1), 0),
            new Sent("app-web-1", "web-1/web", LogEnvelopeWriter.ERR, "to stderr", nanos(2), 0)),
        sent);
    assertEquals(2, counters.get(AgentCounter.POD_LINES));
    assertEquals(
        (cri(1, "stdout", "F", "to stdout") + cri(2, "stderr", "F", "to stderr")).length(),
        counters.get(AgentCounter.POD_BYTES));
  }

  @Test
  void shouldJoinPartialLinesOfAStreamUntilTheFullOneWhenWrittenAcrossReads() throws IOException {
    tailer();
    round();
    Path log = logFile("web-1", "web", 0);
    append(log, cri(1, "stdout", "P", "hello ") + cri(2, "stderr", "P", "err "));
    round();
    append(log, cri(3, "stderr", "F", "whole") + cri(4, "stdout", "P", "big"));
    round();
    assertEquals(List.of("err whole"), texts());
    append(log, cri(5, "stdout", "F", " world"));
    round();
    assertEquals(List.of("err whole", "hello big world"), texts());
    assertEquals(nanos(1), sent.get(1).timestamp(), "the time of the line's first part");
    assertEquals(LogEnvelopeWriter.OUT, sent.get(1).type());
  }

  @Test
  void shouldCutAJoinedLineLongerThanTheMaximumIntoPartsWhenJoining() throws IOException {
    tailer(256, PodLogTailer.Limits.DEFAULT);
    round();
    Path log = logFile("web-1", "web", 0);
    String a = "a".repeat(200);
    String b = "b".repeat(200);
    String c = "c".repeat(200);
    append(log, cri(1, "stdout", "P", a) + cri(2, "stdout", "P", b) + cri(3, "stdout", "F", c));
    round();
    assertEquals(3, sent.size(), texts().toString());
    assertEquals(a + b + c, String.join("", texts()));
    assertEquals(List.of(1, 2, 3), sent.stream().map(Sent::part).toList());
    assertTrue(sent.stream().allMatch(s -> s.text().length() <= 256));
    assertEquals(1, counters.get(AgentCounter.SPLIT_LINES));
  }

  @Test
  void shouldCountAndSkipMalformedLinesAndPassBytesThatAreNotUtf8WhenReading() throws IOException {
    tailer();
    round();
    Path log = logFile("web-1", "web", 0);
    append(log, "not a cri line\n\n2024-13-01T10:00:00Z stdout F bad month\n");
    append(log, cri(1, "stdout", "F", "good"));
    byte[] invalid = cri(2, "stderr", "F", "xx").getBytes(StandardCharsets.US_ASCII);
    invalid[invalid.length - 3] = (byte) 0xC3;
    invalid[invalid.length - 2] = (byte) 0xFF;
    append(log, invalid);
    append(log, "2024-05-01T10:00:03Z stdout F no newline yet");
    round();
    assertEquals(3, counters.get(AgentCounter.POD_MALFORMED_LINES));
    assertEquals(2, sent.size());
    assertEquals("good", sent.get(0).text());
    assertEquals("\uFFFD\uFFFD", sent.get(1).text(), "the bytes as they were");
    append(log, "\n");
    round();
    assertEquals("no newline yet", sent.get(2).text(), "held until its newline");
  }

  @Test
  void shouldReadARotatedFileToItsEndBeforeTheNewOneWithoutLossOrDuplicates() throws IOException {
    tailer();
    round();
    Path log = logFile("web-1", "web", 0);
    append(log, cri(1, "stdout", "F", "1") + cri(2, "stdout", "F", "2"));
    round();
    append(log, cri(3, "stdout", "F", "3") + cri(4, "stdout", "P", "4a"));
    Path rotated = log.resolveSibling("0.log.20240501-100004");
    Files.move(log, rotated);
    append(rotated, cri(4, "stdout", "F", "4b")); // the runtime writes on until it reopens
    append(log, cri(5, "stdout", "F", "5") + cri(6, "stderr", "F", "6"));
    round();
    append(log, cri(7, "stdout", "F", "7"));
    for (int i = 0; i < 5; i++) {
      round();
    }
    assertEquals(List.of("1", "2", "3", "4a4b", "5", "6", "7"), texts());
    assertEquals(1, counters.get(AgentCounter.POD_ROTATIONS));
    assertEquals(1, tailer.openFiles(), "the rotated file is closed after its grace");
  }

  @Test
  void shouldFindARotatedFileByItsKeyWhenItWasClosedAsIdle() throws IOException {
    tailer();
    round();
    Path log = logFile("web-1", "web", 0);
    append(log, cri(1, "stdout", "F", "1"));
    round();
    now += TimeUnit.SECONDS.toNanos(PodLogTailer.IDLE_CLOSE_SECONDS);
    round();
    assertEquals(0, tailer.openFiles());
    append(log, cri(2, "stdout", "F", "2"));
    Files.move(log, log.resolveSibling("0.log.20240501-100002"));
    Files.writeString(log.resolveSibling("0.log.20240501-100001.gz"), "not read");
    append(log, cri(3, "stdout", "F", "3"));
    for (int i = 0; i < 5; i++) {
      round();
    }
    assertEquals(List.of("1", "2", "3"), texts());
  }

  @Test
  void shouldReadAgainFromTheStartWhenAFileIsTruncatedOrMadeAgain() throws IOException {
    tailer();
    round();
    Path log = logFile("web-1", "web", 0);
    append(log, cri(1, "stdout", "F", "one") + cri(2, "stdout", "F", "two"));
    round();
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
      f.setLength(0);
    }
    append(log, cri(3, "stdout", "F", "3"));
    round();
    assertEquals(List.of("one", "two", "3"), texts());
    assertEquals(1, counters.get(AgentCounter.POD_TRUNCATIONS));

    Files.delete(log);
    append(log, cri(4, "stdout", "F", "made again"));
    round();
    round();
    assertEquals(List.of("one", "two", "3", "made again"), texts());
  }

  @Test
  void shouldReadTheRestOfAFileDeletedWhileOpenWithItsLastLineUnterminated() throws IOException {
    tailer();
    round();
    Path log = logFile("web-1", "web", 0);
    append(log, cri(1, "stdout", "F", "1"));
    round();
    append(log, cri(2, "stdout", "F", "2") + "2024-05-01T10:00:03Z stderr F the end");
    Files.delete(log);
    for (int i = 0; i < 5; i++) {
      round();
    }
    assertEquals(List.of("1", "2", "the end"), texts());
    assertEquals(LogEnvelopeWriter.ERR, sent.get(2).type());
    assertEquals(0, tailer.openFiles());
  }

  @Test
  void shouldNeverFollowASymbolicLinkWhenItLeadsOutOfTheDirectory() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("outside/ns_secret_" + UID + "/c"));
    Path secret = outside.resolve("0.log");
    tailer();
    round();
    Files.createSymbolicLink(root().resolve("ns_linked_" + UID), outside.getParent());
    Path pod = Files.createDirectories(root().resolve("ns_web-1_" + UID));
    Files.createSymbolicLink(pod.resolve("linked"), outside);
    Files.createDirectories(pod.resolve("web"));
    Files.createSymbolicLink(pod.resolve("web/0.log"), secret);
    append(secret, cri(1, "stdout", "F", "secret"));
    for (int i = 0; i < 3; i++) {
      round();
      append(secret, cri(2, "stdout", "F", "more secret"));
    }
    assertEquals(List.of(), sent);
    assertEquals(3, counters.get(AgentCounter.POD_IGNORED_PATHS), "each path counted once");
  }

  @Test
  void shouldIgnoreNamesTheKubeletDoesNotMakeWhenScanning() throws IOException {
    tailer();
    round();
    for (String name : new String[] {"junk", "ns_pod", "NS_pod_" + UID, "ns_.._" + UID}) {
      Path c = Files.createDirectories(root().resolve(name).resolve("c"));
      append(c.resolve("0.log"), cri(1, "stdout", "F", name));
    }
    Path bad = Files.createDirectories(root().resolve("ns_web-1_" + UID).resolve("Bad_Container"));
    append(bad.resolve("0.log"), cri(1, "stdout", "F", "bad container"));
    Path web = logFile("web-1", "web", 0);
    append(web.resolveSibling("0.log.20240501-100000"), cri(1, "stdout", "F", "rotated"));
    append(web.resolveSibling("notes.txt"), cri(1, "stdout", "F", "notes"));
    Files.createDirectories(web.resolveSibling("1.log"));
    append(web, cri(1, "stdout", "F", "the one"));
    round();
    round();
    assertEquals(List.of("the one"), texts());
    assertEquals(6, counters.get(AgentCounter.POD_IGNORED_PATHS));
  }

  @Test
  void shouldFollowAtMostItsLimitAndKeepFewFilesOpenWhenThereAreMany() throws IOException {
    tailer(61_440, new PodLogTailer.Limits(10, 3, 2));
    round();
    for (int i = 0; i < 30; i++) {
      append(logFile("pod-" + i, "c", 0), cri(1, "stdout", "F", "line of pod " + i));
    }
    for (int i = 0; i < 5; i++) {
      round();
      assertTrue(tailer.openFiles() <= 3, "open: " + tailer.openFiles());
    }
    assertEquals(10, sent.size(), texts().toString());
    assertEquals(10, tailer.trackedFiles());
    assertEquals(20, counters.get(AgentCounter.POD_IGNORED_PATHS));
  }

  @Test
  void shouldReadThousandsOfFilesWithFewOpenWhenAllOfThemWrite() throws IOException {
    tailer(61_440, new PodLogTailer.Limits(PodLogTailer.MAX_TRACKED_FILES, 16, 64));
    round();
    List<Path> logs = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      logs.add(logFile("pod-" + i, "c", 0));
      append(logs.get(i), cri(1, "stdout", "P", "pod " + i + " "));
    }
    round();
    assertTrue(tailer.openFiles() <= 16, "open: " + tailer.openFiles());
    for (int i = 0; i < logs.size(); i++) {
      append(logs.get(i), cri(2, "stdout", "F", "first") + cri(3, "stderr", "F", "second"));
    }
    round();
    assertTrue(tailer.openFiles() <= 16, "open: " + tailer.openFiles());
    assertEquals(2_000, tailer.trackedFiles());
    assertEquals(1_936, counters.get(AgentCounter.POD_UNJOINED_LINES), "64 joined at most");
    assertEquals(4_000 + 1_936, sent.size(), "the unjoined parts went out on their own");
    assertEquals(64, texts().stream().filter(t -> t.endsWith(" first")).count());
    assertEquals(0, counters.get(AgentCounter.POD_IGNORED_PATHS));
  }

  @Test
  void shouldSendPartialLinesUnjoinedAndCountThemWhenTooManyStreamsHoldOne() throws IOException {
    tailer(61_440, new PodLogTailer.Limits(10, 10, 1));
    round();
    Path a = logFile("pod-a", "c", 0);
    Path b = logFile("pod-b", "c", 0);
    append(a, cri(1, "stdout", "P", "a1"));
    append(b, cri(1, "stdout", "P", "b1"));
    round();
    append(a, cri(2, "stdout", "F", "a2"));
    append(b, cri(2, "stdout", "F", "b2"));
    round();
    assertTrue(texts().contains("a1a2"), texts().toString());
    assertTrue(texts().contains("b1") && texts().contains("b2"), texts().toString());
    assertEquals(1, counters.get(AgentCounter.POD_UNJOINED_LINES));
  }

  @Test
  void shouldSendALineLongerThanTheReadBufferInPartsAndGoOnWithTheNext() throws IOException {
    tailer();
    round();
    Path log = logFile("web-1", "web", 0);
    String huge = "x".repeat(300_000);
    append(log, cri(1, "stderr", "F", huge) + cri(2, "stdout", "F", "next"));
    round();
    round();
    List<Sent> parts = sent.subList(0, sent.size() - 1);
    assertEquals(5, parts.size());
    assertEquals(huge, String.join("", parts.stream().map(Sent::text).toList()));
    assertTrue(parts.stream().allMatch(s -> s.type() == LogEnvelopeWriter.ERR));
    assertEquals("next", sent.get(sent.size() - 1).text());
  }

  @Test
  void shouldWaitForThePodsAppIdAndSendNothingOfASkippedPodWhenLookingUp() throws IOException {
    appIds.put("waiting", PodAppIds.PENDING);
    appIds.put("unlabelled", PodAppIds.SKIPPED);
    tailer();
    round();
    Path waiting = logFile("waiting", "c", 0);
    Path unlabelled = logFile("unlabelled", "c", 0);
    append(waiting, cri(1, "stdout", "F", "kept on disk"));
    append(unlabelled, cri(1, "stdout", "F", "never sent"));
    round();
    round();
    assertEquals(List.of(), sent);
    appIds.put("waiting", "app-w");
    round();
    assertEquals(List.of("kept on disk"), texts());
    assertEquals("app-w", sent.get(0).appId());

    appIds.put("unlabelled", "app-u");
    append(unlabelled, "2024-05-01T10:00:02Z stdout F half a li");
    round();
    append(unlabelled, "ne\n" + cri(3, "stdout", "F", "after the label"));
    round();
    assertEquals(List.of("kept on disk", "after the label"), texts());
  }

  @Test
  void shouldEmitHeldPartialLinesWhenClosed() throws IOException {
    tailer();
    round();
    Path log = logFile("web-1", "web", 0);
    append(log, cri(1, "stdout", "P", "never finished"));
    round();
    assertEquals(List.of(), sent);
    tailer.start();
    tailer.close();
    assertEquals(List.of("never finished"), texts());
    assertEquals(0, tailer.openFiles());
  }

  @Test
  void shouldFollowNewRestartFilesOfAContainerFromTheirStart() throws IOException {
    tailer();
    round();
    Path first = logFile("web-1", "web", 0);
    append(first, cri(1, "stdout", "F", "first run"));
    round();
    Path second = logFile("web-1", "web", 1);
    append(second, cri(2, "stdout", "F", "after a restart"));
    round();
    assertEquals(List.of("first run", "after a restart"), texts());
    assertEquals(2, tailer.trackedFiles());
  }
}
