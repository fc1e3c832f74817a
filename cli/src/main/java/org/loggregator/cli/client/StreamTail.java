package org.loggregator.cli.client;

import java.io.PrintStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.loggregator.cli.CommandException;
import org.loggregator.cli.ExitCode;
import org.loggregator.retry.Backoff;

/**
 * Tails an app's stream: connects, says so, and reconnects with {@link #reconnectBackoff backoff}
 * whenever the connection drops, forever, until {@link #stop()}. {@link #run()} belongs to one
 * thread (the main thread); {@link #stop()} may be called from any other (the Ctrl-C shutdown
 * hook).
 *
 * <p>A first connection that fails ends the tail with that failure (unreachable, 401, 403, 404).
 * Once it has connected, only a refused token (401, 403) ends it: an unreachable server, a 404 or a
 * 5xx while the server restarts are retried.
 */
public final class StreamTail {
  /** The longest wait between reconnection attempts. */
  public static final Duration LONGEST_RECONNECT_DELAY = Duration.ofSeconds(30);

  /**
   * The waits between reconnection attempts: 1 s, doubling up to 30 s, each with ±20 % jitter
   * (never above 30 s), until reset. One per tail.
   *
   * @param random uniform in [0, 1), such as {@code ThreadLocalRandom.current()::nextDouble}
   */
  public static Backoff reconnectBackoff(DoubleSupplier random) {
    return new Backoff(
        Duration.ofSeconds(1),
        LONGEST_RECONNECT_DELAY,
        Backoff.Jitter.plusOrMinus(0.2).withinCap(),
        ChronoUnit.MILLIS,
        random);
  }

  /** Opens connections to the stream: the JDK WebSocket in production, fakes in tests. */
  public interface Connector {
    /**
     * Opens one connection that hands the bytes of each envelope to {@code envelopes}, from a
     * thread of its own, one at a time.
     *
     * @throws CommandException when it cannot: the sentence and exit code for the user
     */
    Connection open(Consumer<byte[]> envelopes) throws CommandException, InterruptedException;
  }

  /** One open connection. */
  public interface Connection {
    /**
     * Starts handing envelopes over; called once, after the tail has announced the connection, so
     * that no log line comes before {@code Connected, tailing...}.
     */
    void start();

    /** Blocks until the connection ends, however it ends, and says why in a few words. */
    String awaitEnd() throws InterruptedException;

    /** Closes the connection, cleanly if the server answers promptly; returns within seconds. */
    void close();
  }

  /** What to do once the first connection is open and delivering, on {@link #run()}'s thread. */
  public interface FirstConnection {
    /** Nothing. */
    FirstConnection NONE = () -> {};

    /**
     * Runs while the connection delivers envelopes: a failure ends the tail with it.
     *
     * @throws CommandException the sentence and exit code for the user
     */
    void opened() throws CommandException, InterruptedException;
  }

  /** Waits between attempts; {@code Thread::sleep} in production. */
  public interface Sleeper {
    void sleep(Duration delay) throws InterruptedException;
  }

  private final Connector connector;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final Consumer<byte[]> envelopes;
  private final PrintStream out;
  private final PrintStream err;
  private final LongSupplier nanoTime;
  private final FirstConnection firstConnection;

  private volatile boolean stopping;
  private volatile Connection current;
  private volatile Thread runner;

  /**
   * @param envelopes receives each envelope's bytes, from the connection's thread
   * @param out where {@code Connected, tailing...} goes
   * @param err where the reconnection notices go
   * @param nanoTime a monotonic clock, {@code System::nanoTime} in production
   * @param firstConnection runs once the first connection is open and delivering envelopes, such as
   *     fetching and printing the recent logs; {@link FirstConnection#NONE} for nothing
   */
  public StreamTail(
      Connector connector,
      Backoff backoff,
      Sleeper sleeper,
      Consumer<byte[]> envelopes,
      PrintStream out,
      PrintStream err,
      LongSupplier nanoTime,
      FirstConnection firstConnection) {
    this.connector = connector;
    this.backoff = backoff;
    this.sleeper = sleeper;
    this.envelopes = envelopes;
    this.out = out;
    this.err = err;
    this.nanoTime = nanoTime;
    this.firstConnection = firstConnection;
  }

  /**
   * Tails until stopped.
   *
   * @return {@link ExitCode#INTERRUPTED} once {@link #stop()} was called
   * @throws CommandException when the first connection fails, or a later one is refused (401, 403),
   *     or what runs on the first connection fails
   */
  public ExitCode run() throws CommandException {
    runner = Thread.currentThread();
    try {
      AtomicLong delivered = new AtomicLong();
      Connection connection = open(delivered);
      if (connection == null) {
        return ExitCode.INTERRUPTED;
      }
      out.println("Connected, tailing...");
      out.flush();
      connection.start();
      try {
        firstConnection.opened();
      } catch (CommandException e) {
        connection.close();
        throw e;
      }
      if (stopping) {
        return ExitCode.INTERRUPTED;
      }
      while (true) {
        long openedAt = nanoTime.getAsLong();
        connection.awaitEnd();
        if (stopping) {
          return ExitCode.INTERRUPTED;
        }
        if (delivered.get() > 0
            || nanoTime.getAsLong() - openedAt >= LONGEST_RECONNECT_DELAY.toNanos()) {
          backoff.reset(); // it was working: start again from the shortest delay
        }
        delivered = new AtomicLong();
        connection = reconnect(delivered);
        if (connection == null) {
          return ExitCode.INTERRUPTED;
        }
      }
    } catch (InterruptedException e) {
      return ExitCode.INTERRUPTED;
    }
  }

  /** Ends the tail: closes the connection and wakes {@link #run()}, which then returns. */
  public void stop() {
    stopping = true;
    Connection c = current;
    if (c != null) {
      c.close();
    }
    Thread t = runner;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
    }
  }

  private Connection reconnect(AtomicLong delivered) throws CommandException, InterruptedException {
    String notice = "Connection lost; reconnecting in ";
    while (true) {
      Duration delay = backoff.nextDelay();
      err.println(notice + seconds(delay) + "s...");
      err.flush();
      sleeper.sleep(delay);
      if (stopping) {
        return null;
      }
      try {
        Connection connection = open(delivered);
        if (connection != null) {
          err.println("Reconnected, tailing...");
          err.flush();
          connection.start();
        }
        return connection;
      } catch (CommandException e) {
        if (e.exitCode() == ExitCode.UNAUTHORIZED || e.exitCode() == ExitCode.FORBIDDEN) {
          throw e;
        }
        notice = "Reconnect failed; reconnecting in ";
      }
    }
  }

  /** Opens a connection, or returns null (closing it) when stopped meanwhile. */
  private Connection open(AtomicLong delivered) throws CommandException, InterruptedException {
    Connection connection =
        connector.open(
            bytes -> {
              delivered.incrementAndGet();
              envelopes.accept(bytes);
            });
    current = connection;
    if (stopping) {
      connection.close();
      return null;
    }
    return connection;
  }

  private static long seconds(Duration delay) {
    return Math.max(1, Math.round(delay.toMillis() / 1000.0));
  }
}
