/** How long to wait before trying again: exponential backoff with jitter. */
package org.loggregator.retry;
