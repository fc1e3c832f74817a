/**
 * Adapters from the plain-Java pipeline to Jakarta WebSocket and MicroProfile Metrics, the counters
 * both servers keep, and the plain-text answer of JAX-RS resources.
 */
package org.loggregator.edge;
