/** Jakarta EE edge of the controller: the public API, its authorization, and doppler clients. */
package org.loggregator.controller.web;
