/** Per-app consumers: the recent-log ring and the live subscribers with their lossy queues. */
package org.loggregator.doppler.sink;
