/** The load harness: drives the whole path (agent in, client out) at fixed rates. */
package org.loggregator.bench.harness;
