/** Bearer tokens: verification, and what a verified token grants. */
package org.loggregator.controller.auth;
