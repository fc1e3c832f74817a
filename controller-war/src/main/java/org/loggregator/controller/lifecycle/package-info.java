/**
 * Jakarta EE edge of the traffic controller: configuration, start-up, health checks, and the CDI
 * producers that hand what start-up built to the endpoints.
 */
package org.loggregator.controller.lifecycle;
