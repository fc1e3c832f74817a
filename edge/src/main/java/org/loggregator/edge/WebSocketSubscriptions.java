package org.loggregator.edge;

import jakarta.websocket.CloseReason;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.loggregator.sink.ConnectionLiveness;
import org.loggregator.sink.SinkCounters;
import org.loggregator.sink.Subscriber;

/**
 * What every subscriber endpoint does with its WebSocket session: one {@link Subscriber} per
 * connection, kept in the session, watched by the liveness check until it closes.
 */
public final class WebSocketSubscriptions {
  private static final String SUBSCRIBER = "loggregator.subscriber";
  private static final String WRITER = "loggregator.writer";

  /**
   * How long a subscriber's writer waits, once its queue has emptied, before it lets go of its
   * thread (see {@link Subscriber}): a steady stream is then sent in batches without a wake-up per
   * envelope, for at most this much added latency per hop.
   */
  public static final long WRITER_LINGER_NANOS = 500_000;

  private WebSocketSubscriptions() {}

  /**
   * The settings every subscriber of a component shares.
   *
   * @param queueCapacity envelopes queued per subscriber before its oldest are dropped
   * @param queueBytes bytes of envelopes queued per subscriber before its oldest are dropped
   * @param writerThreads makes each subscriber's own writer thread, which exists only while it has
   *     something to send (and 30 s after), so that a client that stops reading blocks nobody else
   */
  public record Settings(
      int queueCapacity,
      long queueBytes,
      ThreadFactory writerThreads,
      SinkCounters counters,
      String origin,
      ConnectionLiveness<Session> liveness) {}

  /**
   * Creates the connection's subscriber and registers it for liveness checks.
   *
   * @param appId the app whose stream it is, or null for the firehose
   * @param kind what it is, as its notices name it ({@code stream}, {@code firehose})
   */
  public static Subscriber open(Settings settings, Session session, String appId, String kind) {
    ThreadPoolExecutor writer =
        new ThreadPoolExecutor(
            0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), settings.writerThreads());
    session.getUserProperties().put(WRITER, writer);
    Subscriber subscriber =
        new Subscriber(
            settings.queueCapacity(),
            settings.queueBytes(),
            new WebSocketTransport(session, describe(kind, session)),
            writer,
            settings.counters(),
            appId,
            settings.origin(),
            WRITER_LINGER_NANOS);
    session.getUserProperties().put(SUBSCRIBER, subscriber);
    session.addMessageHandler(
        PongMessage.class,
        (MessageHandler.Whole<PongMessage>) pong -> settings.liveness().pong(session));
    settings.liveness().register(session, subscriber);
    return subscriber;
  }

  /** The connection's subscriber, closed and unregistered; null if it never opened. */
  public static Subscriber close(Settings settings, Session session, CloseReason reason) {
    settings.liveness().unregister(session);
    Subscriber subscriber = (Subscriber) session.getUserProperties().get(SUBSCRIBER);
    if (subscriber != null) {
      subscriber.close(reason.getCloseCode().getCode(), reason.getReasonPhrase());
    }
    ExecutorService writer = (ExecutorService) session.getUserProperties().remove(WRITER);
    if (writer != null) {
      writer.shutdown();
    }
    return subscriber;
  }

  /** How a subscriber appears in notices: its kind and session id, never credentials. */
  private static String describe(String kind, Session session) {
    return kind + " subscriber " + session.getId();
  }
}
