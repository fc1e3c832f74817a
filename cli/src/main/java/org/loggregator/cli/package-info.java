/**
 * The {@code logs} command: arguments, settings and the dispatch to tail, recent, token, keygen.
 */
package org.loggregator.cli;
