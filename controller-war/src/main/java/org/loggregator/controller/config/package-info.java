/** The traffic controller's configuration, resolved once at start-up into one validated record. */
package org.loggregator.controller.config;
