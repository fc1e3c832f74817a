/** Counting what was lost between an agent and this doppler, per app, from the transit trailers. */
package org.loggregator.doppler.transit;
