/**
 * Whether the parts of a server that must keep working do: receive loops, periodic tasks and worker
 * pools report progress, and a liveness check names the ones that died or stopped.
 */
package org.loggregator.liveness;
