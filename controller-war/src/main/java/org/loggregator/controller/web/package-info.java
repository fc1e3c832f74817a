/**
 * Jakarta EE edge of the controller: the public API (REST resources, WebSocket endpoints) and the
 * route table every request is checked against; it reaches dopplers only through {@code proxy}.
 */
package org.loggregator.controller.web;
