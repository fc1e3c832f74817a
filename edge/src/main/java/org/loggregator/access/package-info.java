/**
 * Access control both applications share: one route table per application, matched on the canonical
 * path, deny by default; the authorizer every data endpoint asks again for the id it serves; the
 * one WebSocket endpoint of every log stream, which asks before it serves, and the streams declared
 * as data; caps on WebSocket sessions; refusals counted by reason.
 */
package org.loggregator.access;
