/**
 * The host agent: runs a child or listens on UDP, signs envelopes and forwards them to dopplers.
 */
package org.loggregator.agent;
