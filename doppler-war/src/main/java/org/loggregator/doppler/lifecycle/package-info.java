/**
 * Jakarta EE edge of the doppler: configuration, start-up, health checks, and the CDI producers
 * that hand what start-up built to the endpoints.
 */
package org.loggregator.doppler.lifecycle;
