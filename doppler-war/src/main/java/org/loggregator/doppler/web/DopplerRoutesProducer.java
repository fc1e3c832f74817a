package org.loggregator.doppler.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.loggregator.access.RouteTable;

/** Hands {@link DopplerRoutes#TABLE} to the start-up, which builds the access guard on it. */
@ApplicationScoped
public class DopplerRoutesProducer {
  @Produces
  RouteTable routes() {
    return DopplerRoutes.TABLE;
  }
}
