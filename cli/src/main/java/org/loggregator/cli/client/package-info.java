/**
 * The traffic controller's outward API as a client sees it (docs/PROTOCOL.md, Endpoints): recent
 * logs over HTTP, the live stream over WebSocket with reconnection, and the failures mapped to exit
 * codes.
 */
package org.loggregator.cli.client;
