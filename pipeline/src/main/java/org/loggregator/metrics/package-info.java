/** Counters as the hot path sees them, independent of how a component exposes them. */
package org.loggregator.metrics;
