package org.loggregator.access;

/**
 * Decides whether a request may be served what one route serves for one id. Both the route filter
 * (before dispatch) and the endpoint that serves the data (with the id it actually serves) ask;
 * each application has one, shared by all its endpoints. Thread-safe.
 */
public interface Authorizer {

  /** Checks a request; consumes nothing, so it may be asked again. */
  Decision check(RequestCredentials request, Route route, String id);

  /**
   * Checks a request where the data is served, and consumes what may be used only once (a request
   * signature).
   */
  default Decision admit(RequestCredentials request, Route route, String id) {
    return check(request, route, id);
  }
}
