package org.loggregator.edge;

import jakarta.websocket.Session;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.loggregator.sink.ConnectionLiveness;

/** What both applications do with the threads and connections they own at start and stop. */
public final class ServerThreads {
  private ServerThreads() {}

  /** The liveness check of WebSocket subscribers, pinging every {@code pingInterval}. */
  public static ConnectionLiveness<Session> webSocketLiveness(Duration pingInterval) {
    return new ConnectionLiveness<>(
        pingInterval, ConnectionLiveness.PONG_TIMEOUT, System::nanoTime, WebSocketTransport::ping);
  }

  /** Stops each pool (null ones skipped) and waits up to five seconds for each to end. */
  public static void stop(ExecutorService... pools) {
    for (ExecutorService pool : pools) {
      if (pool != null) {
        pool.shutdownNow();
        try {
          pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
