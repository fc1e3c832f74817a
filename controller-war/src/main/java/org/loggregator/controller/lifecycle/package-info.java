/** Jakarta EE edge of the traffic controller: configuration, start-up, health checks. */
package org.loggregator.controller.lifecycle;
