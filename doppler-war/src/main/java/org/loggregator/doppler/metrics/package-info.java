/** The doppler's metric catalogue, exposed through MicroProfile Metrics. */
package org.loggregator.doppler.metrics;
