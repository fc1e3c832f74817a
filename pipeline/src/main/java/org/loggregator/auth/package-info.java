/** Bearer-token keys: PEM encoding and development key pairs. */
package org.loggregator.auth;
