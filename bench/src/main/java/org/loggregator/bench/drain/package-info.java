/** Drain benchmarks: syslog formatting (JMH) and one drain's throughput into a real rsyslog. */
package org.loggregator.bench.drain;
