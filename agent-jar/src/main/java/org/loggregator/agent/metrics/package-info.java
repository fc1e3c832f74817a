/** The agent's counters: catalogue, Prometheus text endpoint and periodic CounterEvents. */
package org.loggregator.agent.metrics;
