package org.loggregator.sink;

/**
 * Where routed envelopes leave the router: a live stream or firehose connection ({@link
 * Subscriber}), a drain to a syslog or HTTPS server. Each has its own bounded queue (in entries and
 * in bytes) and its own writer: offering never waits, a full queue drops its oldest and counts the
 * drop, so a slow or failing sink slows neither the router nor any other sink.
 */
public interface Sink {
  /**
   * Queues the envelope for this sink's writer; never blocks, and does nothing once closed. The
   * array is handed over: it must not change afterwards.
   */
  void offer(byte[] envelope);
}
