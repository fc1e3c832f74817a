/** Jakarta EE edge of the doppler: configuration, start-up, health checks. */
package org.loggregator.doppler.lifecycle;
