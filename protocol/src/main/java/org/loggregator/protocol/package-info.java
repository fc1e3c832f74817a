/** Dropsonde v1 wire format: envelope reading, datagram and request signing, app id sharding. */
package org.loggregator.protocol;
