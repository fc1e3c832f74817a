/** Live consumers: lossy per-subscriber queues, their writers, and firehose groups. */
package org.loggregator.sink;
