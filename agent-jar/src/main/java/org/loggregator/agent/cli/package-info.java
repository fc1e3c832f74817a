/** The agent's command line and settings file, resolved once into an {@link AgentConfig}. */
package org.loggregator.agent.cli;
