/** Syslog and HTTPS drains: bindings from app to URL, one lossy queue and writer per drain. */
package org.loggregator.doppler.drain;
