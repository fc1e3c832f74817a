package org.loggregator.controller.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.loggregator.access.RouteTable;

/** Hands {@link ControllerRoutes#TABLE} to the start-up, which builds the access guard on it. */
@ApplicationScoped
public class ControllerRoutesProducer {
  @Produces
  RouteTable routes() {
    return ControllerRoutes.TABLE;
  }
}
