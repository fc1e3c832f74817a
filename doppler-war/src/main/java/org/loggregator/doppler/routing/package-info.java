/** Fan-out by app id: per-app rings, container metrics and subscribers; firehose groups. */
package org.loggregator.doppler.routing;
