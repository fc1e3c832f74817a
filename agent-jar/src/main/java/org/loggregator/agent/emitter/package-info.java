/** The Java emitter API: send logs and counters to the host's agent over UDP, never blocking. */
package org.loggregator.agent.emitter;
