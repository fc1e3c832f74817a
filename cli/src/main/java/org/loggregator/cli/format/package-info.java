/**
 * How the command prints log messages (docs/PROTOCOL.md, CLI output formats): the seed, modern and
 * JSON formats.
 */
package org.loggregator.cli.format;
