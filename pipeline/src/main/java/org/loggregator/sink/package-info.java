/**
 * Where envelopes leave the router: the {@link org.loggregator.sink.Sink} idea (each with its own
 * bounded queue and writer), the live consumers' lossy queues, their writers and firehose groups,
 * and the byte- and count-bounded ring under every queue and recent-log ring.
 */
package org.loggregator.sink;
