/** The agent's inputs: the UDP ingress socket and the child's stdout and stderr. */
package org.loggregator.agent.ingress;
