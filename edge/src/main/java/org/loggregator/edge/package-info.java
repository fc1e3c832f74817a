/**
 * Adapters from the plain-Java pipeline to Jakarta WebSocket and MicroProfile Metrics, and the
 * plain-text answer of JAX-RS resources.
 */
package org.loggregator.edge;
