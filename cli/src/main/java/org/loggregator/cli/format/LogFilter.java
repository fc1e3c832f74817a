package org.loggregator.cli.format;

import java.util.Set;
import org.loggregator.protocol.events.LogMessage;

/**
 * Which log lines are printed: by source type (any case), source instance and message type. Within
 * one kind any listed value matches; all kinds must match; an empty kind matches everything.
 * Notices the system writes (source type LGR) are lines like any other. Immutable.
 *
 * @param sourceTypes upper-case source types, or empty for any
 * @param instances source instances as sent, or empty for any
 * @param types message types, or empty for both
 */
public record LogFilter(
    Set<String> sourceTypes, Set<String> instances, Set<LogMessage.MessageType> types) {
  /** Every line. */
  public static final LogFilter ALL = new LogFilter(Set.of(), Set.of(), Set.of());

  public LogFilter {
    sourceTypes = Set.copyOf(sourceTypes);
    instances = Set.copyOf(instances);
    types = Set.copyOf(types);
  }

  /** Whether every line passes. */
  public boolean isAll() {
    return sourceTypes.isEmpty() && instances.isEmpty() && types.isEmpty();
  }

  public boolean accepts(LogMessage log) {
    return (sourceTypes.isEmpty()
            || sourceTypes.contains(log.getSourceType().toUpperCase(java.util.Locale.ROOT)))
        && (instances.isEmpty() || instances.contains(log.getSourceInstance()))
        && (types.isEmpty() || types.contains(log.getMessageType()));
  }
}
