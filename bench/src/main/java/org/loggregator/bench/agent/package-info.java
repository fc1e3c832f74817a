/** Load harness for the agent: the UDP ingest rate it sustains without kernel drops. */
package org.loggregator.bench.agent;
