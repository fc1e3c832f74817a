package org.loggregator.sink;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Keeps every open subscriber connection ({@code C}, such as a WebSocket session) honest: pings
 * each at the ping interval, and closes with 1008 one whose pong has not come within the pong
 * timeout of a ping, or whose current send has been stuck that long (a client that stopped
 * reading). Checked once a second from one thread; pongs are recorded from any thread.
 */
public final class ConnectionLiveness<C> {
  /** How long a ping may go unanswered (docs/PROTOCOL.md, WebSocket messages). */
  public static final Duration PONG_TIMEOUT = Duration.ofSeconds(30);

  private static final int POLICY_VIOLATION = 1008;

  private final long pingIntervalNanos;
  private final long pongTimeoutNanos;
  private final LongSupplier nanoClock;
  private final Consumer<C> pinger;
  private final ConcurrentHashMap<C, Connection> connections = new ConcurrentHashMap<>();

  private static final class Connection {
    final Subscriber subscriber;
    volatile long lastPingNanos;
    volatile long unansweredPingNanos; // 0 when the last ping was answered

    Connection(Subscriber subscriber, long now) {
      this.subscriber = subscriber;
      this.lastPingNanos = now;
    }
  }

  /**
   * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime} outside tests)
   * @param pinger sends a ping on a connection without waiting; may throw if it cannot now
   */
  public ConnectionLiveness(
      Duration pingInterval, Duration pongTimeout, LongSupplier nanoClock, Consumer<C> pinger) {
    this.pingIntervalNanos = pingInterval.toNanos();
    this.pongTimeoutNanos = pongTimeout.toNanos();
    this.nanoClock = nanoClock;
    this.pinger = pinger;
  }

  /** Watches a newly opened connection. */
  public void register(C session, Subscriber subscriber) {
    connections.put(session, new Connection(subscriber, nanoClock.getAsLong()));
  }

  /** Stops watching a connection that closed. */
  public void unregister(C session) {
    connections.remove(session);
  }

  /** Records a pong. */
  public void pong(C session) {
    Connection connection = connections.get(session);
    if (connection != null) {
      connection.unansweredPingNanos = 0;
    }
  }

  /** Pings what is due and closes what is dead. */
  public void check() {
    long now = nanoClock.getAsLong();
    for (var entry : connections.entrySet()) {
      C session = entry.getKey();
      Connection connection = entry.getValue();
      Subscriber subscriber = connection.subscriber;
      long unanswered = connection.unansweredPingNanos;
      if (unanswered != 0 && now - unanswered > pongTimeoutNanos) {
        close(session, subscriber, "No pong within " + PONG_TIMEOUT.toSeconds() + " s of a ping.");
      } else if (subscriber.sendStalledNanos(now) > pongTimeoutNanos) {
        close(session, subscriber, "The client stopped reading.");
      } else if (now - connection.lastPingNanos >= pingIntervalNanos) {
        connection.lastPingNanos = now;
        if (connection.unansweredPingNanos == 0) {
          connection.unansweredPingNanos = now;
        }
        try {
          pinger.accept(session);
        } catch (RuntimeException e) {
          // A send in flight or a closing session; the next check tries again.
        }
      }
    }
  }

  private void close(C session, Subscriber subscriber, String reason) {
    connections.remove(session);
    subscriber.close(POLICY_VIOLATION, reason);
  }

  /** Closes every connection, as the application stops. */
  public void closeAll(int code, String reason) {
    for (Connection connection : connections.values()) {
      connection.subscriber.close(code, reason);
    }
    connections.clear();
  }

  public int size() {
    return connections.size();
  }
}
