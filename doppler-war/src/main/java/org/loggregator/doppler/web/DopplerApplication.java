package org.loggregator.doppler.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The doppler's HTTP endpoints, under its context root. */
@ApplicationPath("/")
public class DopplerApplication extends Application {}
