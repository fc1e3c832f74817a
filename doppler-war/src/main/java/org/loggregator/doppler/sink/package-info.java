/** Per-app storage: the recent-log ring. */
package org.loggregator.doppler.sink;
