/** How the command prints log messages (PROTOCOL.md §7): the seed, modern and JSON formats. */
package org.loggregator.cli.format;
