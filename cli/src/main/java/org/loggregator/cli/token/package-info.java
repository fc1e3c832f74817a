/**
 * Bearer tokens for the traffic controller: RS256 JWTs and their PEM key pair, JDK only, so that
 * other modules' tests can mint tokens with the cli artifact alone.
 */
package org.loggregator.cli.token;
