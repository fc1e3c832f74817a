/**
 * Which dopplers exist now: configured entries whose host is a DNS name stand for every address the
 * name resolves to, resolved again periodically, so that dopplers can come and go (a Kubernetes
 * headless Service) without restarting agents and controllers.
 */
package org.loggregator.membership;
