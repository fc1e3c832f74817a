/** The memory measurement: many apps' recent-log rings filled in a doppler with a small heap. */
package org.loggregator.bench.memory;
