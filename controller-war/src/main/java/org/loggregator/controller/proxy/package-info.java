/** The controller's outbound role: fan in from the owning doppler of every zone. */
package org.loggregator.controller.proxy;
