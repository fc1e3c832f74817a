/** The bounded, lossy ring between the inputs and the one sender that signs and forwards. */
package org.loggregator.agent.forward;
