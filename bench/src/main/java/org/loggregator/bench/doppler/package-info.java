/** JMH benchmarks of the doppler's receive path: datagram, verify, read, route, ring, fan-out. */
package org.loggregator.bench.doppler;
