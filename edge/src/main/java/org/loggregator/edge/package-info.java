/** Adapters from the plain-Java pipeline to Jakarta WebSocket and MicroProfile Metrics. */
package org.loggregator.edge;
