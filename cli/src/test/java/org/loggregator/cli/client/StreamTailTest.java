package org.loggregator.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.loggregator.cli.CommandException;
import org.loggregator.cli.ExitCode;

/** The reconnect loop, driven by a scripted connector, a recording sleeper and a fake clock. */
class StreamTailTest {
  private static final CommandException UNREACHABLE =
      new CommandException(ExitCode.UNREACHABLE, "Cannot reach the log endpoint x: refused.");

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final List<String> received = new ArrayList<>();
  private final List<Duration> sleeps = new ArrayList<>();
  private final Deque<Object> script = new ArrayDeque<>();
  private long now;
  private StreamTail tail;

  /** A connection that delivers its envelopes, lets {@code lasting} pass, then drops. */
  private record Dropping(List<String> envelopes, Duration lasting) {}

  private static final Object STOP = new Object();

  private StreamTail.FirstConnection first = StreamTail.FirstConnection.NONE;

  private StreamTail tail() {
    StreamTail.Connector connector =
        envelopes -> {
          Object next = script.removeFirst();
          if (next instanceof CommandException e) {
            throw e;
          }
          if (next == STOP) {
            tail.stop(); // as Ctrl-C would, while connecting
            return new Ended(envelopes, new Dropping(List.of(), Duration.ZERO));
          }
          return new Ended(envelopes, (Dropping) next);
        };
    tail =
        new StreamTail(
            connector,
            StreamTail.reconnectBackoff(() -> 0.5), // no jitter: 1, 2, 4... exactly
            sleeps::add,
            bytes -> received.add(new String(bytes, StandardCharsets.UTF_8)),
            new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8),
            () -> now,
            first);
    return tail;
  }

  private final class Ended implements StreamTail.Connection {
    private final Consumer<byte[]> sink;
    private final Dropping plan;

    Ended(Consumer<byte[]> sink, Dropping plan) {
      this.sink = sink;
      this.plan = plan;
    }

    @Override
    public void start() {}

    @Override
    public String awaitEnd() {
      plan.envelopes().forEach(e -> sink.accept(e.getBytes(StandardCharsets.UTF_8)));
      now += plan.lasting().toNanos();
      return "dropped";
    }

    @Override
    public void close() {}
  }

  private static Dropping dropping(String... envelopes) {
    return new Dropping(List.of(envelopes), Duration.ofSeconds(1));
  }

  private String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private List<String> errLines() {
    return errBytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void shouldSayConnectedAndPassEnvelopesOnWhenTheStreamOpens() throws Exception {
    script.add(dropping("a", "b"));
    script.add(STOP);

    ExitCode exit = tail().run();

    assertEquals(ExitCode.INTERRUPTED, exit);
    assertEquals("Connected, tailing...\n", out());
    assertEquals(List.of("a", "b"), received);
    assertEquals(List.of("Connection lost; reconnecting in 1s..."), errLines());
  }

  @Test
  void shouldDoubleTheDelayUpToThirtySecondsWhenReconnectsKeepFailing() throws Exception {
    script.add(dropping());
    for (int i = 0; i < 7; i++) {
      script.add(UNREACHABLE);
    }
    script.add(dropping());
    script.add(STOP);

    tail().run();

    assertEquals(
        List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L, 30L),
        sleeps.stream().map(Duration::toSeconds).toList());
    List<String> err = errLines();
    assertEquals("Connection lost; reconnecting in 1s...", err.get(0));
    assertEquals("Reconnect failed; reconnecting in 2s...", err.get(1));
    assertEquals("Reconnect failed; reconnecting in 30s...", err.get(7));
    assertEquals("Reconnected, tailing...", err.get(8));
    assertEquals("Connection lost; reconnecting in 30s...", err.get(9));
    assertEquals("Connected, tailing...\n", out());
  }

  @Test
  void shouldStartAgainFromOneSecondWhenTheLastConnectionDeliveredEnvelopes() throws Exception {
    script.add(dropping());
    script.add(UNREACHABLE);
    script.add(dropping("x"));
    script.add(STOP);

    tail().run();

    assertEquals(List.of(1L, 2L, 1L), sleeps.stream().map(Duration::toSeconds).toList());
  }

  @Test
  void shouldStartAgainFromOneSecondWhenTheLastConnectionLastedLong() throws Exception {
    script.add(dropping());
    script.add(UNREACHABLE);
    script.add(new Dropping(List.of(), Duration.ofMinutes(5)));
    script.add(STOP);

    tail().run();

    assertEquals(List.of(1L, 2L, 1L), sleeps.stream().map(Duration::toSeconds).toList());
  }

  @Test
  void shouldEndWithTheFailureAndPrintNothingWhenTheFirstConnectFails() {
    script.add(UNREACHABLE);

    CommandException e = assertThrows(CommandException.class, () -> tail().run());

    assertEquals(ExitCode.UNREACHABLE, e.exitCode());
    assertEquals("", out());
    assertTrue(sleeps.isEmpty());
  }

  @Test
  void shouldEndWhenTheTokenIsRefusedOnReconnect() {
    script.add(dropping());
    script.add(new CommandException(ExitCode.UNAUTHORIZED, "The token was refused (401)."));

    CommandException e = assertThrows(CommandException.class, () -> tail().run());

    assertEquals(ExitCode.UNAUTHORIZED, e.exitCode());
  }

  @Test
  void shouldKeepTryingWhenTheServerAnswersNotFoundWhileRestarting() throws Exception {
    script.add(dropping());
    script.add(new CommandException(ExitCode.NOT_FOUND, "Not found (404)."));
    script.add(new CommandException(ExitCode.UNEXPECTED, "HTTP 503."));
    script.add(dropping());
    script.add(STOP);

    assertEquals(ExitCode.INTERRUPTED, tail().run());
    assertTrue(errLines().contains("Reconnected, tailing..."), errLines().toString());
  }

  @Test
  void shouldCloseTheConnectionAndReturnQuietlyWhenStoppedFromAnotherThread() throws Exception {
    CountDownLatch open = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    StreamTail.Connection blocking =
        new StreamTail.Connection() {
          @Override
          public void start() {}

          @Override
          public String awaitEnd() throws InterruptedException {
            open.countDown();
            closed.await();
            return "closed";
          }

          @Override
          public void close() {
            closed.countDown();
          }
        };
    StreamTail stoppable =
        new StreamTail(
            envelopes -> blocking,
            StreamTail.reconnectBackoff(() -> 0.5),
            sleeps::add,
            bytes -> {},
            new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8),
            System::nanoTime,
            StreamTail.FirstConnection.NONE);
    Thread hook =
        new Thread(
            () -> {
              try {
                open.await();
              } catch (InterruptedException e) {
                return;
              }
              stoppable.stop();
            });
    hook.start();

    ExitCode exit = stoppable.run();
    while (hook.isAlive()) {
      try {
        hook.join();
      } catch (InterruptedException e) {
        // stop() interrupts the thread that runs the tail: this one
      }
    }

    assertEquals(ExitCode.INTERRUPTED, exit);
    assertEquals(0, closed.getCount());
    assertEquals("", errBytes.toString(StandardCharsets.UTF_8));
    assertTrue(sleeps.isEmpty());
    Thread.interrupted(); // clear what stop() may have left
  }

  @Test
  void shouldRunTheFirstConnectionsWorkOnceAfterItOpensAndNotOnReconnects() throws Exception {
    List<String> order = new ArrayList<>();
    first = () -> order.add("first work after " + out().strip());
    script.add(dropping("a"));
    script.add(dropping("b"));
    script.add(STOP);

    tail().run();

    assertEquals(List.of("first work after Connected, tailing..."), order);
    assertEquals(List.of("a", "b"), received);
  }

  @Test
  void shouldEndWithTheFailureWhenTheFirstConnectionsWorkFails() {
    CommandException refused =
        new CommandException(ExitCode.UNAUTHORIZED, "The token was refused.");
    first =
        () -> {
          throw refused;
        };
    script.add(dropping("a"));

    CommandException e = assertThrows(CommandException.class, () -> tail().run());

    assertEquals(refused, e);
  }
}
