/** Per-app log rate limiting with a notice into the app's own stream. */
package org.loggregator.agent.ratelimit;
