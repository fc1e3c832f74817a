/** Benchmarks: JMH for hot-path pieces, and the load harness for the whole path. */
package org.loggregator.bench;
