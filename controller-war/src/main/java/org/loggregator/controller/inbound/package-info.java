/** The controller's inbound role: signed envelopes from agents to the owning doppler. */
package org.loggregator.controller.inbound;
