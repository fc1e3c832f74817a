/** Jakarta EE edge of the doppler: the endpoints controllers use, and their signature check. */
package org.loggregator.doppler.web;
