/** Lines of a child's output: splitting, stack-trace joining, and encoding into envelopes. */
package org.loggregator.agent.lines;
