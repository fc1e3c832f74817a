package org.loggregator.access;

/** What a route asks of a request before it is served. */
public enum Credential {
  /** Nothing: the route serves no log data. */
  PUBLIC,
  /** A token with the scope {@code logs.read} that names the app (or the admin scope). */
  APP_LOGS,
  /** A token with the scope {@code doppler.firehose}. */
  FIREHOSE,
  /** A token with the scope {@code loggregator.admin}, in the Authorization header. */
  ADMIN,
  /** A request signed by a traffic controller with the shared secret (doppler routes). */
  CONTROLLER_SIGNATURE
}
