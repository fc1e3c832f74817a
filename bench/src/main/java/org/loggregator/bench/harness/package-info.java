/**
 * The load harness, which drives the whole path (agent in, client out) at fixed rates, and the
 * memory measurement of the recent-log rings.
 */
package org.loggregator.bench.harness;
