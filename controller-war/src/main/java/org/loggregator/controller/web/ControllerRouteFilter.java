package org.loggregator.controller.web;

import jakarta.servlet.annotation.WebFilter;
import org.loggregator.access.RouteFilter;

/** Deny by default in front of every controller request: see {@link ControllerRoutes}. */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class ControllerRouteFilter extends RouteFilter {
  private static final long serialVersionUID = 1L;
}
