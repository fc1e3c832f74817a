package org.loggregator.controller.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The controller's HTTP endpoints. */
@ApplicationPath("/")
public class ControllerApplication extends Application {}
