/** Controller request signatures: the doppler's authorizer, and the cache that refuses replays. */
package org.loggregator.doppler.auth;
