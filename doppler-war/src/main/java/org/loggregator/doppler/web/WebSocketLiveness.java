package org.loggregator.doppler.web;

import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.loggregator.sink.Subscriber;

/**
 * Keeps every open subscriber connection honest: pings each at the ping interval, and closes with
 * 1008 one whose pong has not come within the pong timeout of a ping, or whose current send has
 * been stuck that long (a client that stopped reading). Checked once a second from one thread;
 * pongs are recorded from any thread.
 */
public final class WebSocketLiveness {
  /** How long a ping may go unanswered (PROTOCOL.md §4). */
  public static final Duration PONG_TIMEOUT = Duration.ofSeconds(30);

  private static final int POLICY_VIOLATION = 1008;

  private final long pingIntervalNanos;
  private final long pongTimeoutNanos;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<Session, Connection> connections = new ConcurrentHashMap<>();

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
   */
  public WebSocketLiveness(Duration pingInterval, Duration pongTimeout, LongSupplier nanoClock) {
    this.pingIntervalNanos = pingInterval.toNanos();
    this.pongTimeoutNanos = pongTimeout.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Watches a newly opened connection. */
  public void register(Session session, Subscriber subscriber) {
    connections.put(session, new Connection(subscriber, nanoClock.getAsLong()));
  }

  /** Stops watching a connection that closed. */
  public void unregister(Session session) {
    connections.remove(session);
  }

  /** Records a pong. */
  public void pong(Session session) {
    Connection connection = connections.get(session);
    if (connection != null) {
      connection.unansweredPingNanos = 0;
    }
  }

  /** Pings what is due and closes what is dead. */
  public void check() {
    long now = nanoClock.getAsLong();
    for (var entry : connections.entrySet()) {
      Session session = entry.getKey();
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
          session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
        } catch (Exception e) {
          // A send in flight or a closing session; the next check tries again.
        }
      }
    }
  }

  private void close(Session session, Subscriber subscriber, String reason) {
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
