/**
 * The controller's outbound role, its clients to every zone's dopplers: signed HTTP queries fanned
 * out to the owner of an app in each zone, and WebSocket streams fanned in from them.
 */
package org.loggregator.controller.proxy;
