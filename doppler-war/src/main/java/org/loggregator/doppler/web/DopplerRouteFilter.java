package org.loggregator.doppler.web;

import jakarta.servlet.annotation.WebFilter;
import org.loggregator.access.RouteFilter;

/** Deny by default in front of every doppler request: see {@link DopplerRoutes}. */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class DopplerRouteFilter extends RouteFilter {
  private static final long serialVersionUID = 1L;
}
