/**
 * Where drains may connect: the address policy (default denied classes, the operator's allow and
 * deny CIDRs, the server's own sockets), and the guard that resolves a drain's host, checks every
 * address and connects only to one it checked.
 */
package org.loggregator.doppler.drain.address;
