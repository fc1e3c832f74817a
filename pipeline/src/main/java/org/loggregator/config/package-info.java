/** Typed, validated configuration values read once at start-up from any key/value source. */
package org.loggregator.config;
