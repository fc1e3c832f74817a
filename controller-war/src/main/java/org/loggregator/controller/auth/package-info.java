/**
 * Bearer tokens (verified with Nimbus JOSE+JWT), the keys that verify them, what a verified token
 * grants, browser origins, and the controller's authorizer that puts them together.
 */
package org.loggregator.controller.auth;
