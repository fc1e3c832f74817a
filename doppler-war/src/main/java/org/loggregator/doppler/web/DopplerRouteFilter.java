package org.loggregator.doppler.web;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebFilter;
import org.loggregator.access.AccessGuard;
import org.loggregator.access.RouteFilter;

/** Deny by default in front of every doppler request: see {@link DopplerRoutes}. */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class DopplerRouteFilter extends RouteFilter {
  private static final long serialVersionUID = 1L;

  @Inject transient AccessGuard guard;

  @Override
  protected AccessGuard guard() {
    return guard;
  }
}
