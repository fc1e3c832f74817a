/** The traffic controller's metric catalogue, exposed through MicroProfile Metrics. */
package org.loggregator.controller.metrics;
